import Foundation
import Testing
@testable import TiedoteMail

/// The message is made while its connection opens and sends the envelope (`Delivery.envelope`,
/// `Transport.send(envelope:body:beforeCommit:)`): at a relay 20 ms away that hides the making.
@Suite struct MessageOverlapTests {
    let envelope = memberEnvelope(messageID: "overlap@example.fi")
    let message = Array("Subject: overlap\r\n\r\nHei\r\n".utf8)

    /// An engine that makes each message while its envelope goes out (`Delivery.envelope`).
    static func overlapping(connections: Int, journal: Journal?) -> Delivery {
        var engine = Delivery(options: quickOptions(connections: connections), journal: journal)
        engine.envelope = { try render($0).envelope }
        return engine
    }

    @Test func smtpAsksForTheBodyOnlyOnceTheRelayAnsweredData() throws {
        let server = try ScriptedSMTPServer()
        var transport: SMTPTransport? = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)", tls: .none))
        var seenWhenAsked: [String] = []
        let outcome = try transport?.send(envelope: envelope, body: {
            seenWhenAsked = server.linesSoFar()
            return message
        }, beforeCommit: {})
        transport = nil
        #expect(outcome?.code == 250)
        let words = seenWhenAsked.map { $0.prefix(4).uppercased() }
        #expect(words == ["EHLO", "MAIL", "RCPT", "DATA"], "\(seenWhenAsked)")
        #expect(server.lines().contains("."))
    }

    @Test func aBodyThatCannotBeMadeIsNeverTaken() throws {
        let server = try ScriptedSMTPServer()
        var transport: SMTPTransport? = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)", tls: .none))
        var thrown: (any Error)?
        do {
            _ = try transport?.send(envelope: envelope, body: { throw MailError(.io, "template broke") }, beforeCommit: {})
        } catch {
            thrown = error
        }
        transport = nil
        #expect((thrown as? UnmadeMessage)?.reason as? MailError == MailError(.io, "template broke"))
        let lines = server.lines()
        #expect(lines.contains("DATA"))
        #expect(!lines.contains("Subject: overlap"))
        #expect(!lines.contains("."))
    }

    @Test func theOutboxMakesTheBodyFirstAndReportsAFailureAsUnmade() throws {
        let folder = try temporaryFolder()
        let outbox = try OutboxTransport(folder: folder)
        #expect(throws: UnmadeMessage.self) {
            _ = try outbox.send(envelope: envelope, body: { throw MailError(.io, "template broke") }, beforeCommit: {})
        }
        let outcome = try outbox.send(envelope: envelope, body: { message }, beforeCommit: {})
        #expect(outcome.code == 250)
    }

    @Test func eachMessageIsMadeWhileItsTransferIsUnderWay() throws {
        let list = try recipients(6)
        let entered = EnteredTransfers()
        let mailbox = InMemoryMailbox()
        var engine = Self.overlapping(connections: 3, journal: nil)
        // Made only once its transfer has begun: a render that ran before the transfer would
        // wait in vain (and say so) instead of deadlocking the test.
        let summary = engine.run(
            recipients: list, total: list.count,
            render: { recipient in
                entered.waitFor(recipient.key)
                return try render(recipient)
            },
            makeTransport: { OverlapTransport(InMemoryTransport(mailbox: mailbox), entered) })
        #expect(summary.sent == 6)
        #expect(entered.madeBeforeTheirTransfer.isEmpty, "\(entered.madeBeforeTheirTransfer)")
        #expect(mailbox.messages.count == 6)
    }

    /// A message made already goes out as it was made: `render` is not asked for it (no other
    /// thread makes it), and the others are made as before.
    @Test func aMessageMadeAlreadyGoesOutWithoutBeingMadeAgain() throws {
        let list = try recipients(6)
        let mailbox = InMemoryMailbox()
        let rendered = KeyLog()
        var engine = Self.overlapping(connections: 2, journal: nil)
        // Even recipients were made ahead, with a mark in their bytes.
        engine.madeAlready = { recipient in
            guard let last = recipient.key.split(separator: "@")[0].last?.wholeNumberValue, last % 2 == 0 else { return nil }
            var message = try? render(recipient)
            message?.bytes += Array("made ahead\r\n".utf8)
            return message
        }
        let summary = engine.run(
            recipients: list, total: list.count,
            render: { recipient in
                rendered.add(recipient.key)
                return try render(recipient)
            },
            makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.sent == 6)
        #expect(Set(rendered.keys) == ["r1@example.fi", "r3@example.fi", "r5@example.fi"])
        let ahead = mailbox.messages.filter { String(decoding: $0.bytes, as: UTF8.self).hasSuffix("made ahead\r\n") }
        #expect(Set(ahead.map(\.envelope.to.key)) == ["r0@example.fi", "r2@example.fi", "r4@example.fi"])
    }

    @Test func aMessageThatCannotBeMadeStaysPendingAndTheOthersGo() throws {
        let list = try recipients(5)
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let journal = try Journal(url: url)
        let mailbox = InMemoryMailbox()
        var engine = Self.overlapping(connections: 2, journal: journal)
        let summary = engine.run(
            recipients: list, total: list.count,
            render: { recipient in
                if recipient.key == "r2@example.fi" { throw MailError(.io, "template broke") }
                if recipient.key == "r3@example.fi" {
                    // Made for another envelope than the one sent: never handed over.
                    var message = try render(recipient)
                    message.envelope.from = MailAddress(unchecked: "joku@example.fi")
                    return message
                }
                return try render(recipient)
            },
            makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(summary.sent == 3)
        #expect(Set(summary.pending) == ["r2@example.fi", "r3@example.fi"])
        #expect(Set(mailbox.messages.map(\.envelope.to.key)) == ["r0@example.fi", "r1@example.fi", "r4@example.fi"])
        let state = try Journal.read(url)
        #expect(state["r2@example.fi"]?.state == .deferred)
        #expect(state["r3@example.fi"]?.state == .deferred)
    }
}

/// Keys seen, from any thread.
final class KeyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    func add(_ key: String) { lock.withLock { seen.append(key) } }
    var keys: [String] { lock.withLock { seen } }
}

/// Which recipients' transfers have begun, and which messages were made before theirs had.
final class EnteredTransfers: @unchecked Sendable {
    private let condition = NSCondition()
    private var keys: Set<String> = []
    private(set) var madeBeforeTheirTransfer: [String] = []

    func enter(_ key: String) {
        condition.withLock {
            keys.insert(key)
            condition.broadcast()
        }
    }

    /// Waits (at most 5 s) until `key`'s transfer has begun.
    func waitFor(_ key: String) {
        let deadline = Date().addingTimeInterval(5)
        condition.withLock {
            while !keys.contains(key) {
                guard condition.wait(until: deadline) else {
                    madeBeforeTheirTransfer.append(key)
                    return
                }
            }
        }
    }
}

/// Starts each transfer (says so) before it asks for the body, like SMTP's envelope going out
/// while the message is made.
final class OverlapTransport: Transport {
    let inner: InMemoryTransport
    let entered: EnteredTransfers
    init(_ inner: InMemoryTransport, _ entered: EnteredTransfers) {
        self.inner = inner
        self.entered = entered
    }
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        try inner.send(message, envelope: envelope, beforeCommit: beforeCommit)
    }
    func send(envelope: Envelope, body: () throws -> [UInt8], beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        entered.enter(envelope.to.key)
        let message: [UInt8]
        do { message = try body() } catch { throw UnmadeMessage(error) }
        return try inner.send(message, envelope: envelope, beforeCommit: beforeCommit)
    }
}
