import Foundation
import Testing
@testable import TiedoteMail

/// `Delivery.isWithdrawn`: an unsubscribe during a send stops the messages not yet started.
@Suite struct WithdrawnRecipientTests {
    @Test func aRecipientWithdrawnDuringTheRunIsNeitherSentNorFailed() throws {
        let mailbox = InMemoryMailbox()
        let list = try recipients(5)
        var engine = Delivery(options: quickOptions(connections: 1), journal: try Journal(url: try temporaryFolder().appendingPathComponent("j.journal")))
        engine.isWithdrawn = { $0.key == "r3@example.fi" }
        let summary = engine.run(recipients: list, render: render, makeTransport: { InMemoryTransport(mailbox: mailbox) })
        #expect(summary.finished)
        #expect(summary.sent == 4)
        #expect(summary.suppressedDuringSend == ["r3@example.fi"])
        #expect(!mailbox.messages.map(\.envelope.to.key).contains("r3@example.fi"))
        #expect(summary.failures.isEmpty && summary.pending.isEmpty)
    }
}
