import Foundation
import Testing
@testable import TiedoteMail

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-mail-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct JournalTests {
    @Test func recordsSurviveReopeningAndFold() throws {
        let url = try temporaryFolder().appendingPathComponent("Sent/2026-12--members.journal")
        do {
            let journal = try Journal(url: url)
            try journal.record([
                JournalRecord(time: 1_796_117_400, state: .attempting, key: "a@example.fi", messageID: "m1@x"),
                JournalRecord(time: 1_796_117_401, state: .sent, key: "a@example.fi", code: 250, messageID: "m1@x", text: "2.0.0 Ok\tqueued\r\nX"),
                JournalRecord(time: 1_796_117_402, state: .attempting, key: "b@example.fi", messageID: "m2@x"),
                JournalRecord(time: 1_796_117_403, state: .deferred, key: "c@example.fi", code: 451, text: "try later"),
            ])
            try journal.close()
        }
        let state = try Journal.read(url)
        #expect(state["a@example.fi"]?.state == .sent)
        #expect(state["a@example.fi"]?.code == 250)
        #expect(state["a@example.fi"]?.text == "2.0.0 Ok queued X")
        #expect(state["b@example.fi"]?.state == .attempting)
        #expect(state["c@example.fi"]?.state == .deferred)
        #expect(state.inFlight == ["b@example.fi"])
        #expect(state.damagedLines == 0)
    }

    @Test func tornLastLineIsIgnoredAndRepaired() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let good = JournalRecord(time: 1_796_117_400, state: .sent, key: "a@example.fi", code: 250).line()
        let torn = Array(JournalRecord(time: 1_796_117_401, state: .sent, key: "b@example.fi", code: 250).line().dropLast(9))
        try Data(good + torn).write(to: url)
        let journal = try Journal(url: url)
        #expect(journal.initialState["a@example.fi"]?.state == .sent)
        #expect(journal.initialState["b@example.fi"] == nil)
        #expect(journal.initialState.damagedLines == 1)
        try journal.record([JournalRecord(time: 1_796_117_402, state: .sent, key: "c@example.fi", code: 250)])
        let reread = try Journal.read(url)
        #expect(reread["c@example.fi"]?.state == .sent, "a record after a torn line still reads")
        #expect(reread["b@example.fi"] == nil)
    }

    @Test func sentIsFinal() {
        var state = JournalState()
        state.apply(JournalRecord(time: 1, state: .sent, key: "a", code: 250))
        state.apply(JournalRecord(time: 2, state: .deferred, key: "a", code: 451))
        #expect(state["a"]?.state == .sent)
    }

    @Test func uncertainMarksAPossibleDuplicate() {
        var state = JournalState()
        state.apply(JournalRecord(time: 1, state: .attempting, key: "a"))
        state.apply(JournalRecord(time: 2, state: .uncertain, key: "a"))
        state.apply(JournalRecord(time: 3, state: .attempting, key: "a"))
        state.apply(JournalRecord(time: 4, state: .sent, key: "a", code: 250))
        #expect(state["a"]?.state == .sent)
        #expect(state.possibleDuplicates == ["a"])
        #expect(state["a"]?.attempts == 2)
    }

    @Test func onlyOneRunHoldsAJournal() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let first = try Journal(url: url)
        #expect(throws: MailError.self) { try Journal(url: url) }
        _ = first
    }

    @Test func parallelWritersShareFsyncs() throws {
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let journal = try Journal(url: url)
        let group = DispatchGroup()
        for thread in 0..<4 {
            group.enter()
            Thread {
                for i in 0..<50 {
                    try? journal.record([JournalRecord(time: 1, state: .sent, key: "t\(thread)-\(i)", code: 250)])
                }
                group.leave()
            }.start()
        }
        group.wait()
        let state = try Journal.read(url)
        #expect(state.entries.count == 200)
        #expect(journal.syncCount <= 200)
    }
}
