import Testing
import TiedoteMail
@testable import TiedoteCLI

/// `status` counts the sent recipients per relay from the journal's relay field.
struct StatusRelayTests {
    static func state(_ records: [JournalRecord]) -> JournalState {
        var state = JournalState()
        for record in records { state.apply(record) }
        return state
    }

    @Test func sentRecipientsAreCountedByTheirRelayOnlyOnceSent() {
        let state = Self.state([
            JournalRecord(time: 1, state: .attempting, key: "a@x.fi", relay: "oma"),
            JournalRecord(time: 2, state: .sent, key: "a@x.fi", code: 250, relay: "oma"),
            JournalRecord(time: 1, state: .attempting, key: "b@x.fi", relay: "oma"),
            JournalRecord(time: 2, state: .deferred, key: "b@x.fi", code: 421, relay: "oma"),
            JournalRecord(time: 3, state: .attempting, key: "b@x.fi", relay: "toinen"),
            JournalRecord(time: 4, state: .sent, key: "b@x.fi", code: 250, relay: "toinen"),
            JournalRecord(time: 5, state: .sent, key: "c@x.fi", code: 250, relay: "toinen"),
            JournalRecord(time: 5, state: .deferred, key: "d@x.fi", code: 451, relay: "oma"),
            JournalRecord(time: 6, state: .sent, key: "e@x.fi", code: 250, relay: "oma"),
        ])
        // e@x.fi is not on the list any more: not counted, as in the `sent` line.
        let counts = StatusCommand.sentByRelay(["a@x.fi", "b@x.fi", "c@x.fi", "d@x.fi"], state: state)
        #expect(counts.map(\.relay) == ["oma", "toinen"])
        #expect(counts.map(\.count) == [1, 2])
    }

    @Test func aJournalWithoutRelayNamesCountsUnderTheEmptyName() {
        let state = Self.state([
            JournalRecord(time: 1, state: .sent, key: "a@x.fi", code: 250),
            JournalRecord(time: 1, state: .sent, key: "b@x.fi", code: 250),
        ])
        let counts = StatusCommand.sentByRelay(["a@x.fi", "b@x.fi"], state: state)
        #expect(counts.map(\.relay) == [""])
        #expect(counts.map(\.count) == [2])
    }
}
