import Foundation
import Testing
@testable import TiedoteMail

/// The journal's cheaper write path (bench "Send 10,000, 4 conn"): lines made as bytes, written
/// outside the lock, and a message's `sent` line carried into the next `attempting` write.
@Suite struct JournalWriteTests {
    /// `line()` builds its bytes directly; they must be exactly the field-by-field line.
    @Test func lineBytesMatchTheFieldByFieldLine() {
        let records = [
            JournalRecord(time: 1_796_117_400, state: .attempting, key: "a@example.fi", messageID: "m1@x", relay: "127.0.0.1"),
            JournalRecord(time: 1_796_117_401, state: .sent, key: "a@example.fi", code: 250, messageID: "m1@x", text: "2.0.0 Ok\tqueued\r\nX"),
            JournalRecord(time: 0, state: .deferred, key: "ä@kylä.fi", code: 451, text: "yritä\nmyöhemmin", relay: "posti\trelay"),
            JournalRecord(time: 86_399, state: .failed, key: "b@example.fi", code: 5, messageID: "", text: "\r"),
            JournalRecord(time: 951_782_400, state: .uncertain, key: "c@example.fi", code: 1_000_000),  // 2000-02-29
            JournalRecord(time: 253_402_300_799, state: .sent, key: "d@example.fi", code: 250),  // 9999-12-31T23:59:59Z
            JournalRecord(time: 253_402_300_800, state: .sent, key: "e@example.fi", code: -1),  // year 10000
            JournalRecord(time: -1, state: .sent, key: "f@example.fi", code: 250),
        ]
        for record in records {
            #expect(record.line() == record.plainLine(), "\(String(decoding: record.plainLine(), as: UTF8.self))")
        }
        for seconds in stride(from: 1_700_000_000, to: 1_900_000_000, by: 7_654_321) {
            let record = JournalRecord(time: seconds, state: .sent, key: "x@example.fi", code: 250)
            #expect(record.line() == record.plainLine())
        }
    }

    /// A closed journal has nothing left to flush: `sync` after `close` is not an error.
    @Test func syncAfterCloseHasNothingToDo() throws {
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        try journal.record([JournalRecord(time: 1, state: .sent, key: "a@example.fi", code: 250)])
        try journal.close()
        try journal.sync()
        #expect(throws: MailError.self) { try journal.append([JournalRecord(time: 2, state: .sent, key: "b@example.fi")]) }
    }

    /// Lines appended from many threads at once all arrive whole, and each thread's own lines
    /// are on disk once its wait returns.
    @Test func parallelAppendsArriveWholeAndDurable() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let journal = try Journal(url: url)
        let group = DispatchGroup()
        for thread in 0..<6 {
            group.enter()
            Thread {
                for i in 0..<100 {
                    let key = "t\(thread)-\(i)@example.fi"
                    guard let ticket = try? journal.append([
                        JournalRecord(time: 1, state: .attempting, key: key, messageID: "m", text: String(repeating: "x", count: i * 37)),
                    ]) else { continue }
                    if i % 3 == 0 { try? journal.waitDurable(ticket) }
                }
                group.leave()
            }.start()
        }
        group.wait()
        try journal.close()
        let state = try Journal.read(url)
        #expect(state.entries.count == 600)
        #expect(state.damagedLines == 0)
        #expect(state.inFlight.count == 600)
    }

    /// With one connection, at every commit point each earlier recipient is `sent` in the
    /// file: a carried `sent` line is written no later than the next `attempting` line, so a
    /// crash leaves at most the one message in flight uncertain.
    @Test func everyEarlierMessageIsSentInTheFileAtEachCommit() throws {
        let mailbox = InMemoryMailbox()
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let journal = try Journal(url: url)
        let list = try recipients(30)
        let probe = OrderProbe(journal: journal, order: list.map(\.key))
        let summary = Delivery(options: quickOptions(connections: 1), journal: journal).run(
            recipients: list, total: list.count, render: render,
            makeTransport: { ProbingTransport(InMemoryTransport(mailbox: mailbox), probe) })
        #expect(summary.sent == 30)
        #expect(probe.failures.isEmpty, "\(probe.failures.prefix(3))")
        // The last `sent` line is written too, when the connection ends.
        try journal.close()
        let state = try Journal.read(url)
        #expect(list.allSatisfy { state[$0.key]?.state == .sent })
        #expect(state.inFlight.isEmpty)
    }

    /// The same run with a rate limit (every outcome written and flushed at once) and without
    /// (a `sent` line carried into the next write) leaves the same journal, line for line but
    /// for the times.
    @Test func carriedAndImmediateOutcomesMakeTheSameJournal() throws {
        func journalLines(ratePerMinute: Int?) throws -> [String] {
            let url = try temporaryFolder().appendingPathComponent("j.journal")
            let journal = try Journal(url: url)
            var options = quickOptions(connections: 1)
            options.ratePerMinute = ratePerMinute
            let mailbox = InMemoryMailbox()
            let summary = Delivery(options: options, journal: journal).run(
                recipients: try recipients(12), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
            #expect(summary.sent == 12)
            try journal.close()
            return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().joined(separator: "\t")
            }
        }
        let carried = try journalLines(ratePerMinute: nil)
        let immediate = try journalLines(ratePerMinute: 60_000)
        #expect(carried.count == 24)
        #expect(carried == immediate)
    }
}

/// At each commit point, checks that every recipient before this one (one connection, list
/// order) is already `sent` in the file.
final class OrderProbe: CommitProbe, @unchecked Sendable {
    let journal: Journal
    let order: [String]
    private let lock = NSLock()
    private(set) var failures: [String] = []
    init(journal: Journal, order: [String]) {
        self.journal = journal
        self.order = order
    }

    func check(_ key: String) {
        let state = try? Journal.read(journal.url)
        let earlier = order.prefix { $0 != key }
        let notSent = earlier.filter { state?[$0]?.state != .sent }
        lock.withLock {
            if state?[key]?.state != .attempting { failures.append("\(key) is not attempting in the file") }
            if !notSent.isEmpty { failures.append("at \(key): \(notSent) not sent in the file") }
        }
    }
}
