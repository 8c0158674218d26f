import Foundation
import Testing
import TiedoteAudience
import TiedoteCore
@testable import TiedoteMail
@testable import TiedoteSend

/// What a send does with bounces besides sending: the journal's bounces and the summary's added
/// to the suppression list under the workspace lock, each problem returned as a value, and the
/// failures an older Tiedote suppressed although the reply said nothing about the mailbox.
@Suite struct BounceSuppressionTests {
    /// A workspace of its own in a temporary folder, with the sample's settings and no lists.
    static func workspace() throws -> Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-send-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lists"), withIntermediateDirectories: true)
        let settings = try Settings.parse(String(contentsOf: SendPlanTests.root.appendingPathComponent("tiedote.yml"), encoding: .utf8))
        return Workspace(root: root, settings: settings, events: [])
    }

    static func journal(_ failures: [(key: String, code: Int, text: String)], sent: [String] = []) -> JournalState {
        var state = JournalState()
        for (index, failure) in failures.enumerated() {
            state.apply(JournalRecord(time: index, state: .attempting, key: failure.key))
            state.apply(JournalRecord(time: index, state: .failed, key: failure.key, code: failure.code, text: failure.text))
        }
        for key in sent { state.apply(JournalRecord(time: 0, state: .sent, key: key, code: 250)) }
        return state
    }

    static let badMailbox = "5.1.1 <x>: Recipient address rejected: User unknown"
    static let wantsAuth = "5.7.1 <x>: Relay access denied"

    @Test func theJournalsBouncesAreSuppressedOnceAndOthersLeftAlone() throws {
        let workspace = try Self.workspace()
        let state = Self.journal(
            [("b@example.fi", 550, Self.badMailbox), ("a@example.fi", 550, Self.badMailbox), ("auth@example.fi", 554, Self.wantsAuth)],
            sent: ["ok@example.fi"])
        let first = BounceSuppression.journaled(in: state, workspace: workspace)
        #expect(first.added == ["a@example.fi", "b@example.fi"], "in key order; a policy refusal and a sent address are not bounces")
        #expect(first.failures.isEmpty && first.lockError == nil)
        let suppressions = try workspace.suppressions()
        #expect(suppressions.suppression(for: "a@example.fi")?.reason == .bounced)
        #expect(!suppressions.contains("auth@example.fi"))
        let again = BounceSuppression.journaled(in: state, workspace: workspace)
        #expect(again.added.isEmpty, "an address already on the list is not added twice")
    }

    @Test func theSummarysBouncesAreSuppressedAndAFailureIsAValue() throws {
        let workspace = try Self.workspace()
        var summary = DeliverySummary()
        summary.failures = [
            .init(address: try MailAddress("gone@example.fi"), code: 550, text: Self.badMailbox, isBounce: true),
            .init(address: try MailAddress("policy@example.fi"), code: 554, text: Self.wantsAuth, isBounce: false),
        ]
        let outcome = BounceSuppression.afterSend(summary, workspace: workspace)
        #expect(outcome.added == ["gone@example.fi"])
        #expect(try workspace.suppressions().contains("gone@example.fi"))
        #expect(!(try workspace.suppressions().contains("policy@example.fi")))

        let mixed = BounceSuppression.suppress(["not an address", "next@example.fi"], workspace: workspace)
        #expect(mixed.added == ["next@example.fi"], "one address that fails does not stop the others")
        #expect(mixed.failures.map(\.address) == ["not an address"])
        #expect(mixed.failures.first.map { "\($0.error)" }?.contains("is not an address") == true)
    }

    @Test func aLockThatCannotBeTakenIsAValueAndNothingIsWritten() throws {
        let workspace = try Self.workspace()
        // A symbolic link in Lists/ makes the lock refuse the workspace.
        let lists = workspace.url("Lists")
        let moved = workspace.root.appendingPathComponent("Lists-elsewhere")
        try FileManager.default.moveItem(at: lists, to: moved)
        try FileManager.default.createSymbolicLink(at: lists, withDestinationURL: moved)
        let outcome = BounceSuppression.suppress(["gone@example.fi"], workspace: workspace)
        #expect(outcome.lockError != nil)
        #expect(outcome.added.isEmpty && outcome.failures.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: moved.appendingPathComponent("suppressed.csv").path))
    }

    @Test func aFailureSuppressedAsBouncedWithoutABadMailboxReplyIsFound() throws {
        let workspace = try Self.workspace()
        try workspace.suppress("auth@example.fi", reason: .bounced)
        try workspace.suppress("left@example.fi", reason: .unsubscribed)
        try workspace.suppress("gone@example.fi", reason: .bounced)
        let state = Self.journal([
            ("auth@example.fi", 554, Self.wantsAuth), ("left@example.fi", 554, Self.wantsAuth),
            ("gone@example.fi", 550, Self.badMailbox), ("other@example.fi", 554, Self.wantsAuth),
        ])
        #expect(MisjudgedBounce.all(in: state, workspace: workspace)
            == [MisjudgedBounce(key: "auth@example.fi", code: 554, text: Self.wantsAuth)])
    }
}
