import Foundation
import Testing
import TiedoteCore
import TiedoteMail
@testable import TiedoteSend

struct RecipientStreamTests {
    /// Every recipient arrives once, in order, through a buffer far smaller than the list.
    @Test func streamsInOrderThroughASmallBuffer() throws {
        let addresses = try (0..<5_000).map { try MailAddress("r\($0)@example.fi") }
        let stream = RecipientStream(capacity: 8) { put in
            for address in addresses { put(DeliveryRecipient(address: address)) }
        }
        var received: [String] = []
        for recipient in stream { received.append(recipient.key) }
        #expect(received == addresses.map(\.key))
    }

    @Test func anEmptyListEnds() {
        let stream = RecipientStream { _ in }
        #expect(stream.next() == nil)
    }
}

/// Messages made ahead on the list's thread (`prepare`): handed out once, to their own
/// recipient only, and a send through them delivers exactly the bytes of rendering on the
/// connection's thread (the plain path).
struct RecipientStreamAheadTests {
    static func made(_ recipient: DeliveryRecipient) -> RenderedMessage {
        RenderedMessage(
            envelope: Envelope(from: recipient.address, to: recipient.address, messageID: "m\(recipient.index)@x"),
            bytes: Array("ahead \(recipient.key)\r\n".utf8))
    }

    /// A stream over `addresses` whose producer has put (and made) all of them before this
    /// returns: no connection was waiting, so every message the producer makes is made ahead.
    static func produced(
        _ addresses: [MailAddress], capacity: Int, prepare: @escaping @Sendable (DeliveryRecipient) -> RenderedMessage?
    ) -> RecipientStream {
        let done = DispatchSemaphore(value: 0)
        let stream = RecipientStream(capacity: capacity, prepare: prepare) { put in
            for address in addresses { put(DeliveryRecipient(address: address)) }
            done.signal()
        }
        done.wait()
        return stream
    }

    @Test func aPreparedMessageGoesOnceToItsOwnRecipient() throws {
        let addresses = try (0..<200).map { try MailAddress("r\($0)@example.fi") }
        let stream = Self.produced(addresses, capacity: 256) { Self.made($0) }
        var seen = 0
        while let recipient = stream.next() {
            #expect(recipient.index == seen)
            // Another recipient at the same place gets nothing, and takes nothing away.
            var stranger = DeliveryRecipient(address: try MailAddress("x\(seen)@example.fi"))
            stranger.index = recipient.index
            #expect(stream.prepared(for: stranger) == nil)
            let message = try #require(stream.prepared(for: recipient))
            #expect(message.envelope.to.key == recipient.key)
            #expect(message.bytes == Array("ahead \(recipient.key)\r\n".utf8))
            #expect(stream.prepared(for: recipient) == nil, "handed out once")
            seen += 1
        }
        #expect(seen == 200)
    }

    @Test func skippedOnesAreLeftToTheConnectionAndTheRestStillCome() throws {
        let addresses = try (0..<500).map { try MailAddress("r\($0)@example.fi") }
        // Only odd rows are made ahead; the even ones are left to the connection.
        let stream = Self.produced(addresses, capacity: 512) { $0.index % 2 == 1 ? Self.made($0) : nil }
        var handed = 0
        var index = 0
        while let recipient = stream.next() {
            // Every third recipient is never asked for (as if sent in an earlier run).
            if index % 3 != 0, stream.prepared(for: recipient) != nil { handed += 1 }
            index += 1
        }
        #expect(index == 500)
        #expect(handed == (0..<500).filter { $0 % 2 == 1 && $0 % 3 != 0 }.count)
    }

    /// Messages nobody asks for (recipients an earlier run settled) are dropped two windows
    /// behind, whether or not the recipient two windows on was made ahead (every other block of
    /// 16 is not): the stream holds a bounded number of messages however long the list.
    @Test func messagesNobodyAsksForAreDropped() throws {
        let addresses = try (0..<2_000).map { try MailAddress("r\($0)@example.fi") }
        let stream = RecipientStream(capacity: 8, prepare: { $0.index / 16 % 2 == 0 ? Self.made($0) : nil }) { put in
            for address in addresses { put(DeliveryRecipient(address: address)) }
        }
        var count = 0
        // Takes recipients only while the producer is idle, so no connection is waiting when a
        // recipient is put and every message of the even blocks is made ahead.
        while true {
            while !stream.producerIsIdle { usleep(100) }
            guard stream.next() != nil else { break }
            count += 1
        }
        #expect(count == 2_000)
        #expect(stream.heldMessages <= 16)
    }

    /// A stream of one recipient, taken already, whose message the producer is making until
    /// `release` is signalled.
    static func streamMakingItsOnlyMessage() throws -> (RecipientStream, DeliveryRecipient, release: DispatchSemaphore) {
        let address = try MailAddress("r0@example.fi")
        let inPrepare = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let stream = RecipientStream(prepare: { recipient in
            inPrepare.signal()
            release.wait()
            return Self.made(recipient)
        }) { put in put(DeliveryRecipient(address: address)) }
        inPrepare.wait()
        return (stream, try #require(stream.next()), release)
    }

    /// A connection that takes a recipient whose message the producer is making waits for
    /// that message instead of making it a second time.
    @Test func aMessageBeingMadeIsWaitedFor() throws {
        let (stream, recipient, release) = try Self.streamMakingItsOnlyMessage()
        let got = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            got.message = stream.prepared(for: recipient)
            done.signal()
        }.start()
        // Not a timing assertion: gives the connection's thread time to reach the wait.
        usleep(20_000)
        release.signal()
        done.wait()
        #expect(got.message?.envelope.to.key == recipient.key, "the producer's message, not a second one")
    }

    /// Asked without waiting, a message the producer is still making is not there (the
    /// connection has it made elsewhere); once made, it is handed out as before.
    @Test func aMessageBeingMadeIsNotWaitedForWhenAskedWithoutWaiting() throws {
        let (stream, recipient, release) = try Self.streamMakingItsOnlyMessage()
        // Released later from elsewhere, so that a call that waited would return the message
        // (and fail below) instead of hanging the test.
        Thread {
            usleep(200_000)
            release.signal()
        }.start()
        #expect(stream.prepared(for: recipient, waiting: false) == nil)
        #expect(stream.prepared(for: recipient)?.envelope.to.key == recipient.key)
    }

    /// The producer's thread runs nicer than the thread that started it (and no other thread
    /// is changed), so a connection woken by its relay gets a core first.
    @Test func theProducerYieldsToTheConnections() throws {
        let address = try MailAddress("r0@example.fi")
        let seen = Box()
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let caller = getpriority(which, 0)
        let stream = RecipientStream { put in
            seen.niceness = getpriority(which, 0)
            put(DeliveryRecipient(address: address))
        }
        while stream.next() != nil {}
        #expect(seen.niceness == min(19, caller + RecipientStream.producerNiceness))
        #expect(getpriority(which, 0) == caller, "the caller's thread keeps its priority")
    }

    /// A connection waiting for a recipient gets one before its message is made, and makes
    /// it itself: the first messages of a send are made side by side on the connections, not
    /// one after another on the list's thread.
    @Test func aWaitingConnectionGetsItsRecipientUnmade() throws {
        let addresses = try (0..<3).map { try MailAddress("r\($0)@example.fi") }
        let start = DispatchSemaphore(value: 0)
        let madeAhead = Counter()
        let stream = RecipientStream(prepare: { recipient in madeAhead.add(); return Self.made(recipient) }) { put in
            start.wait()
            for address in addresses { put(DeliveryRecipient(address: address)) }
        }
        let first = Box()
        let taken = DispatchSemaphore(value: 0)
        Thread {
            first.recipient = stream.next()
            taken.signal()
        }.start()
        // Not a timing assertion: only waits until the connection is inside `next()`.
        while stream.waitingConsumers == 0 { usleep(1_000) }
        start.signal()
        taken.wait()
        let recipient = try #require(first.recipient)
        #expect(recipient.index == 0)
        #expect(stream.prepared(for: recipient) == nil, "handed over unmade, to be made by the connection")
        var rest = 0
        while stream.next() != nil { rest += 1 }
        #expect(rest == 2)
        #expect(madeAhead.value <= 2, "the first recipient's message was not made on the list's thread")
    }

    /// A whole send to the sample issue, with the messages made ahead and without: the same
    /// bytes reach the mailbox.
    @Test func aSendWithMessagesMadeAheadDeliversThePlainPathsBytes() throws {
        let plan = try SendPlanTests.plan()
        let subscribers = SendPlanTests.recipients
        func send(ahead: Bool) throws -> [String: [UInt8]] {
            let list = try subscribers.map { DeliveryRecipient(address: try MailAddress($0.email), subscriber: $0) }
            let render: @Sendable (DeliveryRecipient) throws -> RenderedMessage = { recipient in
                try plan.rendered(for: recipient.subscriber ?? Subscriber(email: recipient.address.value), address: recipient.address)
            }
            var prepare: (@Sendable (DeliveryRecipient) -> RenderedMessage?)? = nil
            if ahead {
                prepare = { @Sendable recipient in try? render(recipient) }
            }
            let done = DispatchSemaphore(value: 0)
            let stream = RecipientStream(capacity: list.count + 1, prepare: prepare) { put in
                for recipient in list { put(recipient) }
                done.signal()
            }
            // All made ahead before the send starts (no connection waits for a recipient).
            done.wait()
            let mailbox = InMemoryMailbox()
            let made = Counter()
            let summary = Delivery(options: DeliveryOptions(connections: 3), journal: nil).run(
                recipients: stream, total: list.count,
                render: { recipient in
                    if let message = stream.prepared(for: recipient) { return message }
                    made.add()
                    return try render(recipient)
                },
                makeTransport: { InMemoryTransport(mailbox: mailbox) })
            #expect(summary.sent == list.count)
            #expect(made.value == (ahead ? 0 : list.count), "rendered on the connections")
            return Dictionary(uniqueKeysWithValues: mailbox.messages.map { ($0.envelope.to.key, $0.bytes) })
        }
        let plain = try send(ahead: false)
        let ahead = try send(ahead: true)
        #expect(plain.count == subscribers.count)
        #expect(ahead == plain)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// The recipient a connection's thread took, read by the test after a semaphore.
private final class Box: @unchecked Sendable {
    var recipient: DeliveryRecipient?
    var message: RenderedMessage?
    var niceness: Int32?
}

