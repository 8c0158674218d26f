import Foundation
import Testing
@testable import TiedoteMail

/// Which refusals may fail or suppress a recipient, and the circuit breaker (issue 10, items
/// 1–3): a relay's fault must never cost the list.
@Suite struct RefusalTests {
    @Test(arguments: [
        // (code, reply line, verdict)
        (550, "550 5.1.1 <a@example.fi>: Recipient address rejected: User unknown", RefusalVerdict.badMailbox),
        (550, "550 5.1.2 Bad destination system address", .badMailbox),
        (553, "553 5.1.10 Recipient address has null MX", .badMailbox),
        (550, "550 5.2.1 Mailbox disabled", .badMailbox),
        (550, "5.1.1 no such user", .badMailbox),               // the text alone (test doubles, journals)
        (550, "550 No such user here", .badMailboxIfOthersAccepted),
        (551, "551 User not local", .badMailboxIfOthersAccepted),
        (553, "553 Mailbox name not allowed", .badMailboxIfOthersAccepted),
        (550, "550 5.0.0 Unknown", .badMailboxIfOthersAccepted),  // x.0.0 says nothing more than 550
        (552, "552 5.2.2 Mailbox full", .failed),
        (550, "550 5.1.6 Mailbox has moved", .failed),
        (550, "550 5.7.1 Relaying denied: authentication required", .keepPending),
        (554, "554 5.7.1 <a@example.fi>: Relay access denied", .keepPending),
        (530, "530 5.7.0 Authentication required", .keepPending),
        (550, "550 5.5.1 Protocol error", .keepPending),
        (550, "550 5.3.0 Mail system full", .keepPending),
        (550, "550 5.4.4 Unable to route", .keepPending),
        (552, "552 5.2.3 Message too big", .keepPending),
        (553, "553 5.1.8 Sender domain does not exist", .keepPending),
        (554, "554 Transaction failed", .keepPending),
        (530, "530 Authentication required", .keepPending),
        (500, "500 Syntax error", .keepPending),
    ])
    func recipientRefusals(code: Int, line: String, verdict: RefusalVerdict) {
        #expect(RefusalVerdict.forRecipient(SMTPReply(code: code, line: line)) == verdict)
    }

    @Test(arguments: [
        ("550 5.7.1 Relaying denied", 550, "5.7.1", "Relaying denied"),
        ("250-5.0.0 more", 250, "5.0.0", "more"),
        ("5.1.1 text only", 0, "5.1.1", "text only"),
        ("554 Transaction failed", 554, nil, "Transaction failed"),
        ("garbage", 0, nil, "garbage"),
        ("550 5.1.1000 too long a detail", 550, nil, "5.1.1000 too long a detail"),
        ("+50 x", 0, nil, "+50 x"),
    ] as [(String, Int, String?, String)])
    func replyParts(line: String, code: Int, enhanced: String?, text: String) {
        let reply = SMTPReply(code: 0, line: line)
        #expect(reply.code == code)
        #expect(reply.enhanced?.description == enhanced)
        #expect(reply.text == text)
    }

    @Test(arguments: [
        (550, "550 5.7.1 Relaying denied", false),   // a failed line from an older, too eager run
        (550, "550 5.1.1 User unknown", true),
        (550, "550 No such user", true),
        (552, "552 5.2.2 Mailbox full", false),
    ])
    func journaledFailuresSuppressOnlyBadMailboxes(code: Int, text: String, bounce: Bool) {
        #expect(RefusalVerdict.isJournaledBounce(code: code, text: text) == bounce)
    }

    @Test func theBreakerTripsOnTheFirstFiveAlikeAndCountsRecipientsNotRetries() {
        var breaker = RefusalBreaker(opening: 5, inRow: 20)
        let denied = RefusalBreaker.reading(.failed(code: 550, text: "550 5.7.1 <x>: Relaying denied"))
        for index in 0..<4 { #expect(breaker.record(denied, key: "r\(index)") == nil) }
        #expect(breaker.record(denied, key: "r0") == nil, "a retry of the same recipient adds nothing")
        let trip = breaker.record(denied, key: "r4")
        #expect(trip?.keys.count == 5)
        #expect(trip?.fromTheStart == true)
        #expect(trip?.message.contains("550 5.7.1 <x>: Relaying denied") == true)
        #expect(trip?.message.contains("delivery.smtp.username") == true)
    }

    @Test func afterASuccessOnlyTwentyInARowTrip() {
        var breaker = RefusalBreaker(opening: 5, inRow: 20)
        let unknown = RefusalBreaker.reading(.failed(code: 550, text: "550 5.1.1 User unknown"))
        #expect(breaker.record(.success, key: "ok") == nil)
        for index in 0..<19 { #expect(breaker.record(unknown, key: "r\(index)") == nil) }
        // A different reply breaks the streak.
        #expect(breaker.record(RefusalBreaker.reading(.failed(code: 552, text: "552 5.2.2 full")), key: "x") == nil)
        for index in 0..<19 { #expect(breaker.record(unknown, key: "s\(index)") == nil) }
        #expect(breaker.record(unknown, key: "s19")?.fromTheStart == false)
    }

    @Test func messageRefusalsAreTheirOwnFailure() {
        var breaker = RefusalBreaker(opening: 2, inRow: 20)
        let atData = RefusalBreaker.reading(.messageRefused(code: 554, text: "554 5.7.1 spam"))
        let atRcpt = RefusalBreaker.reading(.failed(code: 554, text: "554 5.7.1 spam"))
        #expect(breaker.record(atRcpt, key: "a") == nil)
        #expect(breaker.record(atData, key: "b") == nil, "not the same failure as at RCPT")
        #expect(breaker.record(atData, key: "c") == nil, "the streak no longer started the run")
        #expect(breaker.record(.neutral, key: "d") == nil)
    }

    /// The first finding: a relay refusing every RCPT with 5.7.1 suppressed all 39.
    @Test func aRelayRefusingEveryoneStopsTheRunAndFailsNobody() throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(39)
        for recipient in list {
            mailbox.script(recipient.key, [.failed(code: 550, text: "550 5.1.1 User unknown")])
        }
        let journal = try Journal(url: try temporaryFolder().appendingPathComponent("j.journal"))
        let summary = Delivery(options: quickOptions(connections: 1), journal: journal)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(mailbox.attemptCount == 5)
        #expect(summary.failures.isEmpty && summary.bounces.isEmpty)
        #expect(summary.stoppedBy?.kind == .refused)
        #expect(summary.pending.count == 39)
        let state = try Journal.read(journal.url)
        #expect(state.counts[.failed] == nil)
        #expect(state.counts[.deferred] == 5)
    }

    /// A short run never reaches the first five; when the relay refused all of it alike, the
    /// breaker trips at the end all the same.
    @Test(arguments: [(3, true), (1, false)])
    func aShortRunRefusedAllAlikeFailsNobody(count: Int, trips: Bool) throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(count)
        for recipient in list { mailbox.script(recipient.key, [.failed(code: 550, text: "550 5.1.1 User unknown")]) }
        let summary = Delivery(options: quickOptions(), journal: nil)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.bounces.count == (trips ? 0 : 1))
        #expect(summary.pending.count == (trips ? count : 0))
        #expect((summary.stoppedBy?.message.contains("all 3 recipients of this run alike") ?? false) == trips)
    }

    @Test func messageRefusedAtTheEndOfDataForEveryMessageFailsNobody() throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(8)
        for recipient in list { mailbox.script(recipient.key, [.messageRefused(code: 554, text: "554 5.6.0 bad")]) }
        let summary = Delivery(options: quickOptions(connections: 2), journal: nil)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.failures.isEmpty)
        #expect(summary.stoppedBy?.message.contains("end of DATA") == true)
        #expect(Set(summary.pending) == Set(list.map(\.key)))
    }

    @Test(arguments: [true, false])
    func aBare550CountsAsABounceOnlyWhenOthersWereAccepted(othersAccepted: Bool) throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(othersAccepted ? 3 : 1)
        mailbox.script("r0@example.fi", [.failed(code: 550, text: "550 Mailbox unavailable")])
        let summary = Delivery(options: quickOptions(), journal: nil)
            .run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.bounces.map(\.value) == (othersAccepted ? ["r0@example.fi"] : []))
        #expect(summary.pending == (othersAccepted ? [] : ["r0@example.fi"]))
    }

    @Test func retryFailedSendsToEarlierFailures() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let mailbox = InMemoryMailbox()
        mailbox.script("r1@example.fi", [.failed(code: 552, text: "552 5.2.2 Mailbox full")])
        var journal = try Journal(url: url)
        _ = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: try recipients(3), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        journal = try Journal(url: url)
        let again = Delivery(options: quickOptions(), journal: journal)
            .run(recipients: try recipients(3), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(again.alreadyFailed == 1 && again.sent == 0)
        journal = try Journal(url: url)
        var options = quickOptions()
        options.retryFailed = true
        let retried = Delivery(options: options, journal: journal)
            .run(recipients: try recipients(3), render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        try journal.close()
        #expect(retried.sent == 1 && retried.alreadyFailed == 0 && retried.finished)
        #expect(try Journal.read(url)["r1@example.fi"]?.state == .sent)
    }

    @Test func repliesGroupWithTheAddressMasked() {
        let groups = ReplyGroup.groups([
            ("a@x.fi", 550, "550 5.1.1 <a@x.fi>: User unknown"), ("b@x.fi", 550, "550 5.1.1 <B@x.fi>: User unknown"),
            ("c@x.fi", 552, "5.2.2 Mailbox full"),
        ])
        #expect(groups == [
            ReplyGroup(reply: "550 5.1.1 <address>: User unknown", keys: ["a@x.fi", "b@x.fi"]),
            ReplyGroup(reply: "552 5.2.2 Mailbox full", keys: ["c@x.fi"]),
        ])
    }
}
