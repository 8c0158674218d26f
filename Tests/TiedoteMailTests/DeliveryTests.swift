import Foundation
import Testing
@testable import TiedoteMail

func recipients(_ count: Int, prefix: String = "r") throws -> [DeliveryRecipient] {
    try (0..<count).map { DeliveryRecipient(address: try MailAddress("\(prefix)\($0)@example.fi")) }
}

let sender = MailAddress(unchecked: "tuottajaverkosto@humak.example.fi")

@Sendable func render(_ recipient: DeliveryRecipient) throws -> RenderedMessage {
    let id = "2026-12.members.\(recipient.key)"
    return RenderedMessage(
        envelope: Envelope(from: sender, to: recipient.address, messageID: id),
        bytes: Array("Subject: test\r\n\r\nHei \(recipient.key)\r\n".utf8))
}

/// An envelope from the coordinator to one member, for transport tests.
func memberEnvelope(messageID: String) -> Envelope {
    Envelope(from: sender, to: MailAddress(unchecked: "jasen@example.fi"), messageID: messageID)
}

func quickOptions(connections: Int = 2) -> DeliveryOptions {
    DeliveryOptions(connections: connections, maxAttempts: 4, retryDelay: 0.01, maxRetryDelay: 0.05)
}

/// A transport that dies (like kill -9) after `limit` messages: it throws a run-stopping error.
final class CrashingTransport: Transport {
    let inner: InMemoryTransport
    let counter: Counter
    init(_ mailbox: InMemoryMailbox, _ counter: Counter) {
        inner = InMemoryTransport(mailbox: mailbox)
        self.counter = counter
    }
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        guard counter.take() else { throw MailError(.connection, "simulated crash") }
        return try inner.send(message, envelope: envelope, beforeCommit: beforeCommit)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    init(_ left: Int) { self.left = left }
    func take() -> Bool { lock.withLock { left -= 1; return left >= 0 } }
}

@Suite struct DeliveryTests {
    @Test(arguments: [1, 3])
    func everyoneGetsExactlyOneMessage(connections: Int) throws {
        let mailbox = InMemoryMailbox()
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        let list = try recipients(100)
        let summary = Delivery(options: quickOptions(connections: connections), journal: journal)
            .run(recipients: list, total: list.count, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.finished)
        #expect(summary.sent == 100)
        #expect(mailbox.messages.map(\.envelope.to.key).sorted() == list.map(\.key).sorted())
        let state = try Journal.read(journal.url)
        #expect(state.counts[.sent] == 100)
    }

    @Test func deferredIsRetriedAndFailedIsReportedAsBounce() throws {
        let mailbox = InMemoryMailbox()
        mailbox.script("r1@example.fi", [.deferred(code: 451, text: "4.3.0 try again")])
        mailbox.script("r2@example.fi", [.failed(code: 550, text: "5.1.1 no such user")])
        mailbox.script("r3@example.fi", [.failed(code: 552, text: "5.2.2 mailbox full")])
        mailbox.script("r4@example.fi", [.connectionLost("dropped", maybeDelivered: false)])
        mailbox.script("r5@example.fi", [.failed(code: 554, text: "5.7.1 rejected")])
        let list = try recipients(7)
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        let summary = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.sent == 4)
        #expect(summary.failures.map(\.code).sorted() == [550, 552])
        #expect(summary.bounces.map(\.value) == ["r2@example.fi"])
        // A policy refusal (5.7.1) says nothing about the address: pending, not failed.
        #expect(summary.pending == ["r5@example.fi"])
        #expect(summary.held.map(\.key) == ["r5@example.fi"])
        #expect(mailbox.messages.count == 4)
        #expect(Set(mailbox.messages.map(\.envelope.to.key)).count == 4)
        let state = try Journal.read(journal.url)
        #expect(state["r1@example.fi"]?.state == .sent)
        #expect(state["r2@example.fi"]?.state == .failed)
        #expect(state["r3@example.fi"]?.state == .failed)
        #expect(state["r5@example.fi"]?.state == .deferred)
        #expect(state["r5@example.fi"]?.code == 554)
    }

    @Test func persistentDeferralLeavesTheRecipientPending() throws {
        let mailbox = InMemoryMailbox()
        mailbox.script("r0@example.fi", Array(repeating: .deferred(code: 452, text: "full"), count: 10))
        let summary = Delivery(options: quickOptions(), journal: nil)
            .run(recipients: try recipients(3), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.pending == ["r0@example.fi"])
        #expect(!summary.finished)
        #expect(summary.sent == 2)
    }

    /// A recipient whose message cannot be made is left pending, so the next run (after the
    /// template or the row is fixed) still reaches it.
    @Test func aRenderErrorLeavesTheRecipientPendingForTheNextRun() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let mailbox = InMemoryMailbox()
        let broken: @Sendable (DeliveryRecipient) throws -> RenderedMessage = { recipient in
            if recipient.key == "r1@example.fi" { throw MailError(.configuration, "bad row") }
            return try render(recipient)
        }
        var journal = try Journal(url: url)
        let first = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: try recipients(3), render: broken, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(first.pending == ["r1@example.fi"] && !first.finished && first.failures.isEmpty)
        journal = try Journal(url: url)
        let second = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: try recipients(3), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(second.finished && second.sent == 1 && second.alreadySent == 2)
    }

    @Test func resumeAfterACrashSendsTheRestOnceAndNamesTheUncertain() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("j.journal")
        let mailbox = InMemoryMailbox()
        let list = try recipients(50)
        let connections = 3
        do {
            let counter = Counter(20)
            let journal = try Journal(url: url)
            let summary = Delivery(options: quickOptions(connections: connections), journal: journal)
                .run(recipients: list, render: render, makeTransport: { CrashingTransport(mailbox, counter) })
            #expect(!summary.finished)
            try journal.close()
        }
        // A crash leaves `attempting` lines without outcome: simulate one more in flight.
        let inFlight = "r49@example.fi"
        var lines = try Data(contentsOf: url)
        lines.append(contentsOf: JournalRecord(time: 1, state: .attempting, key: inFlight, messageID: "x").line())
        try lines.write(to: url)

        let journal = try Journal(url: url)
        let before = journal.initialState
        let summary = Delivery(options: quickOptions(connections: connections), journal: journal)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.finished)
        #expect(summary.uncertain.contains(inFlight))
        #expect(summary.uncertain.count <= connections + 1)
        let received = mailbox.messages.map(\.envelope.to.key)
        #expect(Set(received) == Set(list.map(\.key)), "everyone received at least one")
        let counts = Dictionary(received.map { ($0, 1) }, uniquingKeysWith: +)
        let twice = counts.filter { $0.value > 1 }.map(\.key).sorted()
        #expect(twice.allSatisfy { before.inFlight.contains($0) })
        let state = try Journal.read(url)
        #expect(state.counts[.sent] == 50)
        #expect(Set(state.possibleDuplicates) == Set(before.inFlight))
    }

    @Test func anEditedListSendsNewAddressesAndSkipsRemovedOnes() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let mailbox = InMemoryMailbox()
        let first = try recipients(10)
        let journal = try Journal(url: url)
        _ = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: first, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        let edited = Array(first.dropFirst(3)) + (try recipients(5, prefix: "new")) + [first[5]]
        let summary = Delivery(options: quickOptions(), journal: try Journal(url: url))
            .run(recipients: edited, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.sent == 5)
        #expect(summary.alreadySent == 7)
        #expect(summary.duplicatesInList == 1)
        let counts = Dictionary(mailbox.messages.map { ($0.envelope.to.key, 1) }, uniquingKeysWith: +)
        #expect(counts.count == 15)
        #expect(counts.values.allSatisfy { $0 == 1 })
    }

    @Test func rateLimitAndProgress() throws {
        let mailbox = InMemoryMailbox()
        let seen = Counter(1_000)
        let summary = Delivery(options: DeliveryOptions(connections: 2, ratePerMinute: 6_000), journal: nil)
            .run(
                recipients: try recipients(20), total: 20, render: render,
                makeTransport: { InMemoryTransport(mailbox: mailbox) },
                progress: { progress in
                    _ = seen.take()
                    #expect(progress.sent <= 20)
                })
        #expect(summary.sent == 20)
        #expect(seen.take())
    }
}
