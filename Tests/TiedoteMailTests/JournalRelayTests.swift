import Foundation
import Testing
@testable import TiedoteMail

/// The relay field at the end of each journal line, and journals written before it.
@Suite struct JournalRelayTests {
    @Test func aRecordNamesItsRelayInASeventhField() throws {
        let record = JournalRecord(
            time: 1_796_117_400, state: .sent, key: "a@example.fi", code: 250, messageID: "m1@x", text: "2.0.0 Ok",
            relay: "oma")
        let line = String(decoding: record.line(), as: UTF8.self)
        #expect(line == "2026-12-01T09:30:00Z\tsent\ta@example.fi\t250\tm1@x\t2.0.0 Ok\toma\n")
        #expect(JournalRecord(line: Substring(line.dropLast())) == record)
        let none = String(decoding: JournalRecord(time: 1_796_117_400, state: .deferred, key: "b@example.fi").line(), as: UTF8.self)
        #expect(none == "2026-12-01T09:30:00Z\tdeferred\tb@example.fi\t0\t\t\t\n", "no relay: an empty last field")
    }

    @Test func oldSixFieldLinesStillRead() throws {
        let url = try temporaryFolder().appendingPathComponent("old.journal")
        try Data("""
            2026-12-01T08:50:00Z\tattempting\ta@example.fi\t0\tm1@x\t
            2026-12-01T08:50:01Z\tsent\ta@example.fi\t250\tm1@x\t2.0.0 Ok
            2026-12-01T08:50:02Z\tdeferred\tb@example.fi\t451\tm2@x\t4.3.0 try later

            """.utf8).write(to: url)
        let state = try Journal.read(url)
        #expect(state.damagedLines == 0)
        #expect(state["a@example.fi"]?.state == .sent && state["a@example.fi"]?.relay == "")
        #expect(state["b@example.fi"]?.text == "4.3.0 try later")
    }

    @Test func theEntryKeepsTheLatestRelayNamed() {
        var state = JournalState()
        state.apply(JournalRecord(time: 1, state: .attempting, key: "a", relay: "oma"))
        state.apply(JournalRecord(time: 2, state: .deferred, key: "a", code: 421, relay: "oma"))
        state.apply(JournalRecord(time: 3, state: .attempting, key: "a", relay: "palveluntarjoaja"))
        state.apply(JournalRecord(time: 4, state: .sent, key: "a", code: 250, relay: "palveluntarjoaja"))
        state.apply(JournalRecord(time: 5, state: .uncertain, key: "a"))
        #expect(state["a"]?.relay == "palveluntarjoaja")
    }

    @Test func aLineWithTooManyFieldsIsDamaged() {
        #expect(JournalRecord(line: "2026-12-01T08:50:00Z\tsent\ta@example.fi\t250\tm1@x\tOk\toma\textra") == nil)
    }
}
