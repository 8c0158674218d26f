import Foundation
import Testing
@testable import TiedoteMail

/// A relay whose connections refuse to open, like a stopped server.
final class RefusingTransport: Transport {
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        .connectionLost("could not connect to 127.0.0.1:2526: connection refused", maybeDelivered: false)
    }
}

/// A relay that answers 451 to every recipient.
final class DeferringTransport: Transport {
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        .deferred(code: 451, text: "4.3.0 Temporary lookup failure")
    }
}

/// A relay that answers 421 and closes once a connection has carried `cap` messages; counts
/// the messages each connection (transport) carried.
final class CappedTransport: Transport {
    let inner: InMemoryTransport
    let cap: Int
    let log: ConnectionLog
    private let id: Int
    private var count = 0
    init(_ mailbox: InMemoryMailbox, cap: Int, log: ConnectionLog) {
        inner = InMemoryTransport(mailbox: mailbox)
        self.cap = cap
        self.log = log
        id = log.open()
    }
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        guard count < cap else {
            log.refused()
            count = 0   // the relay closed the connection; libcurl would open a new one
            return .deferred(code: 421, text: "4.7.0 too many messages on one connection")
        }
        count += 1
        log.carried(by: id)
        return try inner.send(message, envelope: envelope, beforeCommit: beforeCommit)
    }
}

/// What `CappedTransport`s saw. Unchecked Sendable: `lock` guards every field.
final class ConnectionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var perConnection: [Int] = []
    private var refusals = 0
    func open() -> Int { lock.withLock { perConnection.append(0); return perConnection.count - 1 } }
    func carried(by id: Int) { lock.withLock { perConnection[id] += 1 } }
    func refused() { lock.withLock { refusals += 1 } }
    var counts: [Int] { lock.withLock { perConnection } }
    var refusalCount: Int { lock.withLock { refusals } }
}

@Suite struct RelaySchedulingTests {
    static func options() -> DeliveryOptions {
        DeliveryOptions(maxAttempts: 4, retryDelay: 0.01, maxRetryDelay: 0.05, restDelay: 600)
    }

    /// Every recipient's journal line names the relay that took it; each got one message.
    static func expectEachOnce(_ mailbox: InMemoryMailbox, _ list: [DeliveryRecipient]) {
        let counts = Dictionary(mailbox.messages.map { ($0.envelope.to.key, 1) }, uniquingKeysWith: +)
        #expect(counts.count == list.count && counts.values.allSatisfy { $0 == 1 })
    }

    @Test func aRelayThatRefusesToConnectIsRestedAndTheOtherTakesItsShare() throws {
        let mailbox = InMemoryMailbox()
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        let list = try recipients(60)
        let relays = [
            DeliveryRelay(name: "oma", connections: 2, makeTransport: { RefusingTransport() }),
            DeliveryRelay(name: "palveluntarjoaja", connections: 2, makeTransport: { InMemoryTransport(mailbox: mailbox) }),
        ]
        let summary = Delivery(options: Self.options(), journal: journal)
            .run(recipients: list, total: list.count, render: render, relays: relays)
        #expect(summary.finished && summary.sent == 60 && summary.failures.isEmpty)
        Self.expectEachOnce(mailbox, list)
        #expect(summary.notices.contains { $0.hasPrefix("oma: 3 failures in a row, resting for 600 s") })
        let state = try Journal.read(journal.url)
        #expect(state.entries.values.allSatisfy { $0.state == .sent && $0.relay == "palveluntarjoaja" })
    }

    /// A relay that answers 451 to everyone is rested, not a reason to stop the run: with
    /// another relay working, the breaker leaves 4xx to the relays' rests.
    @Test func aRelayDeferringEveryoneIsRestedAndTheOtherTakesItsShare() throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(30)
        let relay = CrowdedRelay(sessions: 1)   // one session that takes 2 ms a message
        let relays = [
            DeliveryRelay(name: "oma", connections: 8, makeTransport: { DeferringTransport() }),
            DeliveryRelay(name: "palveluntarjoaja", makeTransport: { CrowdedTransport(mailbox, relay) }),
        ]
        let summary = Delivery(options: Self.options(), journal: nil)
            .run(recipients: list, total: list.count, render: render, relays: relays)
        #expect(summary.stoppedBy == nil)
        #expect(summary.finished && summary.sent == 30 && summary.failures.isEmpty)
        Self.expectEachOnce(mailbox, list)
        #expect(summary.notices.contains { $0.hasPrefix("oma: 3 failures in a row, resting") }, "\(summary.notices)")
    }

    @Test(arguments: [(1, true), (2, false)])
    func deferralsTripTheBreakerOnlyWithOneRelay(relays: Int, trips: Bool) {
        let ledger = RefusalLedger(options: DeliveryOptions(), relays: relays)
        let trip = (0..<5).compactMap { ledger.record(.deferred(code: 451, text: "4.3.0 later"), key: "r\($0)@example.fi") }.first
        #expect((trip != nil) == trips)
    }

    @Test func whenEveryRelayRefusesTheRunStopsAndLeavesTheRestPending() throws {
        let list = try recipients(40)
        let relays = [
            DeliveryRelay(name: "oma", makeTransport: { RefusingTransport() }),
            DeliveryRelay(name: "toinen", makeTransport: { RefusingTransport() }),
        ]
        var options = Self.options()
        options.restDelay = 0.01
        let summary = Delivery(options: options, journal: nil).run(recipients: list, total: list.count, render: render, relays: relays)
        #expect(!summary.finished && summary.sent == 0 && summary.failures.isEmpty)
        #expect(summary.stoppedBy?.message.contains("times in a row") == true)
        #expect(Set(summary.pending) == Set(list.map(\.key)))
    }

    @Test(arguments: [nil, 3, 5])
    func aRelayClosingAfterFiveMessagesLosesAndDoublesNothing(messagesPerConnection: Int?) throws {
        let mailbox = InMemoryMailbox()
        let log = ConnectionLog()
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        let list = try recipients(50)
        let relay = DeliveryRelay(
            name: "oma", connections: 2, messagesPerConnection: messagesPerConnection,
            makeTransport: { CappedTransport(mailbox, cap: 5, log: log) })
        let summary = Delivery(options: Self.options(), journal: journal)
            .run(recipients: list, total: list.count, render: render, relays: [relay])
        #expect(summary.finished && summary.sent == 50 && summary.failures.isEmpty && summary.pending.isEmpty)
        Self.expectEachOnce(mailbox, list)
        if let limit = messagesPerConnection {
            #expect(log.refusalCount == 0, "QUIT before the relay's cap: no 421")
            #expect(log.counts.allSatisfy { $0 <= limit })
        } else {
            #expect(log.refusalCount > 0)
            let journalText = try String(contentsOf: journal.url, encoding: .utf8)
            #expect(journalText.contains("\tdeferred\t") && journalText.contains("\t421\t"))
        }
    }

    /// 421 is the relay closing a connection (too many connections, say), not an answer about
    /// anyone: the first five recipients all getting it neither stops the run nor fails anyone.
    @Test func fourTwentyOnesAtTheStartDoNotTripTheBreaker() throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(12)
        for recipient in list.prefix(5) {
            mailbox.script(recipient.key, Array(repeating: .deferred(code: 421, text: "4.7.0 too many connections, closing channel"), count: 2))
        }
        var options = Self.options()
        options.maxConnectionFailures = 20
        let relay = DeliveryRelay(name: "oma", makeTransport: { InMemoryTransport(mailbox: mailbox) })
        let summary = Delivery(options: options, journal: nil)
            .run(recipients: list, total: list.count, render: render, relays: [relay])
        #expect(summary.stoppedBy == nil)
        #expect(summary.finished && summary.sent == 12)
        Self.expectEachOnce(mailbox, list)
    }

    /// A relay that takes two sessions at a time and answers 421 to the others: the run slows
    /// down to two connections (and says so), and everyone gets one message.
    @Test func aRelayTakingTwoSessionsSlowsTheRunDown() throws {
        let mailbox = InMemoryMailbox()
        let relayState = CrowdedRelay(sessions: 2)
        let list = try recipients(80)
        let relay = DeliveryRelay(name: "oma", connections: 4, makeTransport: { CrowdedTransport(mailbox, relayState) })
        let summary = Delivery(options: Self.options(), journal: nil)
            .run(recipients: list, total: list.count, render: render, relays: [relay])
        #expect(summary.stoppedBy == nil)
        #expect(summary.finished && summary.sent == 80 && summary.failures.isEmpty)
        Self.expectEachOnce(mailbox, list)
        #expect(summary.notices.contains { $0.hasPrefix("oma: 3× 421/451 in 60 s, down to 2 connections") }, "\(summary.notices)")
    }

    @Test func progressCountsPendingAndRetrying() throws {
        let mailbox = InMemoryMailbox()
        mailbox.script("r3@example.fi", [.deferred(code: 451, text: "4.3.0 later")])
        let list = try recipients(10)
        let last = LastProgress()
        let relay = DeliveryRelay(name: "oma", makeTransport: { InMemoryTransport(mailbox: mailbox) })
        let summary = Delivery(options: Self.options(), journal: nil)
            .run(recipients: list, total: list.count, render: render, relays: [relay], progress: { last.set($0) })
        #expect(summary.finished)
        let progress = try #require(last.value)
        #expect(progress.sent == 10 && progress.pending == 0 && progress.retrying == 0)
    }

    /// A message counted sent before the scheduler hears its job is over (the worker tells the
    /// run state first) is not also counted pending: the figures never add up past the total.
    @Test func aJustSentMessageIsNotAlsoPending() {
        let state = RunState(total: 20, started: 0, progress: nil, counts: { (skipped: 0, settled: 0, retrying: 1, notices: []) })
        state.update { $0.sent += 1 }
        let progress = state.progressNow(skipped: 0)
        #expect(progress.sent + progress.pending + progress.retrying == 20)
        #expect(progress.pending == 18)
    }
}

/// A relay's session table: at most `sessions` connections are let in. Unchecked Sendable:
/// `lock` guards `admitted`.
final class CrowdedRelay: @unchecked Sendable {
    private let lock = NSLock()
    private let sessions: Int
    private var admitted = Set<ObjectIdentifier>()
    init(sessions: Int) { self.sessions = sessions }
    func admit(_ id: ObjectIdentifier) -> Bool {
        lock.withLock {
            if admitted.contains(id) { return true }
            guard admitted.count < sessions else { return false }
            admitted.insert(id)
            return true
        }
    }
    func leave(_ id: ObjectIdentifier) { _ = lock.withLock { admitted.remove(id) } }
}

/// A connection to a `CrowdedRelay`: 421 when the relay is full; its session ends when the
/// engine drops it (QUIT).
final class CrowdedTransport: Transport {
    let inner: InMemoryTransport
    let relay: CrowdedRelay
    init(_ mailbox: InMemoryMailbox, _ relay: CrowdedRelay) {
        inner = InMemoryTransport(mailbox: mailbox)
        self.relay = relay
    }
    deinit { relay.leave(ObjectIdentifier(self)) }
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        guard relay.admit(ObjectIdentifier(self)) else {
            return .deferred(code: 421, text: "4.7.0 too many connections, closing channel")
        }
        Thread.sleep(forTimeInterval: 0.002)   // a session stays busy a while, as on a network
        return try inner.send(message, envelope: envelope, beforeCommit: beforeCommit)
    }
}

/// The latest progress report. Unchecked Sendable: `lock` guards `stored`.
final class LastProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: DeliveryProgress?
    func set(_ progress: DeliveryProgress) { lock.withLock { stored = progress } }
    var value: DeliveryProgress? { lock.withLock { stored } }
}
