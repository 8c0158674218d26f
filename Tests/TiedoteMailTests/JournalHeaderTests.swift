import Foundation
import Testing
import TiedoteCore
@testable import TiedoteMail

@Suite struct JournalHeaderTests {
    let december = JournalHeader(issue: "2026-12", list: "members")

    @Test func aNewJournalNamesItsIssueAndListAndReadsBack() throws {
        let url = try temporaryFolder().appendingPathComponent("Sent/2026-12--members.journal")
        let journal = try Journal(url: url, header: december)
        try journal.record([JournalRecord(time: 1, state: .sent, key: "a@example.fi", code: 250, messageID: "2026-12.members.1@x")])
        try journal.close()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("# tiedote delivery journal for issue 2026-12, list members: "))
        let state = try Journal.read(url, expecting: december)
        #expect(state.header == december)
        #expect(state["a@example.fi"]?.state == .sent)
    }

    @Test(arguments: [
        JournalHeader(issue: "2027-01", list: "members"), JournalHeader(issue: "2026-12", list: "others"),
    ])
    func aJournalOfAnotherIssueOrListIsRefused(expected: JournalHeader) throws {
        let url = try temporaryFolder().appendingPathComponent("x.journal")
        try Journal(url: url, header: december).close()
        #expect(throws: Diagnostic.self) { try Journal.read(url, expecting: expected) }
        #expect(throws: Diagnostic.self) { try Journal(url: url, header: expected) }
        do {
            _ = try Journal.read(url, expecting: expected)
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.position?.line == 1)
            #expect(diagnostic.message.contains("of issue 2026-12, list members, not of issue \(expected.issue), list \(expected.list)"))
        }
    }

    @Test func aLegacyJournalIsReadAndCheckedByItsMessageIDs() throws {
        let url = try temporaryFolder().appendingPathComponent("x.journal")
        let record = JournalRecord(time: 1, state: .sent, key: "a@example.fi", code: 250, messageID: "2026-12.members.0123@x")
        try Data((JournalHeader.legacyLine + String(decoding: record.line(), as: UTF8.self)).utf8).write(to: url)
        #expect(try Journal.read(url, expecting: december)["a@example.fi"]?.state == .sent)
        #expect(try Journal.read(url)["a@example.fi"]?.state == .sent)
        do {
            _ = try Journal.read(url, expecting: JournalHeader(issue: "2027-01", list: "members"))
            Issue.record("a legacy journal of 2026-12 was taken for 2027-01")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.position?.line == 2)
        }
    }

    @Test func headerLinesParse() {
        #expect(JournalHeader(line: Substring(december.line.dropLast())) == december)
        #expect(JournalHeader(line: Substring(JournalHeader.legacyLine.dropLast())) == nil)
        #expect(JournalHeader(line: "# something else") == nil)
    }

    @Test func forgottenAddressesAreCountedInNoState() throws {
        let url = try temporaryFolder().appendingPathComponent("x.journal")
        let hash = "sha256:00ff:" + String(repeating: "ab", count: 32)
        let lines = [
            JournalRecord(time: 1, state: .sent, key: hash, code: 250),
            JournalRecord(time: 1, state: .sent, key: "b@example.fi", code: 250),
        ].flatMap { $0.line() }
        try Data(lines).write(to: url)
        let state = try Journal.read(url)
        #expect(state.counts[.sent] == 1)
        #expect(state.erased == [hash])
    }

    @Test func aFolderWhereTheJournalShouldBeIsSaidInWords() throws {
        let url = try temporaryFolder().appendingPathComponent("x.journal")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for attempt in [{ _ = try Journal.read(url) }, { _ = try Journal(url: url) }] {
            do {
                try attempt()
                Issue.record("a folder was read as a journal")
            } catch let diagnostic as Diagnostic {
                #expect(diagnostic.message.hasPrefix("the journal is a folder"))
            }
        }
    }
}
