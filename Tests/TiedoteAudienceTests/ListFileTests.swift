import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct ListFileTests {
    static func read(_ text: String) throws -> [Subscriber] {
        var result: [Subscriber] = []
        try ListFile.read(Data(text.utf8), path: "Lists/m.csv") { result.append($0) }
        return result
    }

    @Test func readsTheCanonicalFormat() throws {
        let subscribers = try Self.read("""
            email,name,municipality,interests,language,consent_source,consented_at
            aino@example.fi,Aino Mäkelä,Jyväskylä,tanssi;teatteri,,lomake,2026-01-05

            """)
        #expect(subscribers == [Subscriber(
            email: "aino@example.fi", name: "Aino Mäkelä", municipality: .jyvaskyla, interests: ["tanssi", "teatteri"],
            language: "fi", consentSource: "lomake", consentedAt: "2026-01-05",
            position: SourcePosition(path: "Lists/m.csv", line: 2, column: 1))])
    }

    /// A tab in a list file's name (pasted from a spreadsheet) reaches the send as a space, as
    /// it does for a subscriber made in code: the row reader sets the name after creating it.
    @Test func aTabInANameIsASpace() throws {
        let subscribers = try Self.read("email,name\naino@example.fi,Aino\tMäkelä\n")
        #expect(subscribers.map(\.name) == ["Aino Mäkelä"])
        #expect(subscribers.map(\.firstName) == ["Aino"])
    }

    @Test(arguments: [
        ("email,phone\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 1, column: 7),
            "unknown column 'phone'; a list file has the columns email,name,municipality,interests,language,consent_source,consented_at (use `tiedote lists import` for spreadsheets)")])),
        ("email,name\nbad,Aino\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 2, column: 1),
            "'bad' is not a usable address: the address has no @")])),
        ("email,municipality\na@example.fi,Tampere\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 2, column: 14),
            "'Tampere' is not one of the 22 municipalities of Keski-Suomi; write it as listed (e.g. Jyväskylä) or leave it empty")])),
        ("email,consented_at\na@example.fi,1.3.2026\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 2, column: 14),
            "'1.3.2026' is not an ISO date; write it as 2026-03-01 or 2026-03-01T14:05")])),
        ("email,name\na@example.fi,A\nA@Example.fi,B\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 3, column: 1),
            "A@example.fi is already on line 2; remove one of the two rows")])),
        ("email,name\na@example.fi,\"Eve\r\nBcc: x@example.fi\"\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 2, column: 14),
            "the name contains a line break or a control character; write it on one line")])),
        ("email,name\na@example.fi,A,extra\n", Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 2, column: 16),
            "this row has 3 fields but the header has 2; put quotes around a value that contains a comma")])),
    ])
    func reportsProblemsWithPositions(text: String, expected: Diagnostics) {
        #expect(throws: expected) { try Self.read(text) }
    }

    /// A repeat far down a long list read in small chunks, with no length, one far too small
    /// (the table grows many times) and the right one: named with the first row's line.
    @Test func aRepeatFarDownIsFoundWhateverTheTableSize() throws {
        var text = "email,name\n"
        for index in 0..<3_000 { text += "r\(index)@example.fi,R\n" }
        text += "r1@example.fi,Again\n"
        let bytes = Array(text.utf8)
        let expected = Diagnostics([.error(SourcePosition(path: "Lists/m.csv", line: 3_002, column: 1),
            "r1@example.fi is already on line 3; remove one of the two rows")])
        for length in [nil, 100, bytes.count] as [Int?] {
            var offset = 0
            var count = 0
            #expect(throws: expected) {
                try ListFile.read(path: "Lists/m.csv", expectedBytes: length, chunks: {
                    guard offset < bytes.count else { return nil }
                    defer { offset += 700 }
                    return Data(bytes[offset..<min(offset + 700, bytes.count)])
                }) { _ in count += 1 }
            }
            #expect(count == 3_000, "length \(String(describing: length))")
        }
    }

    /// A send's second read (the list checked already, the engine skipping repeats itself)
    /// keeps no duplicate table and hands a repeated address over; the default read refuses it.
    @Test func aReadWithoutTheDuplicateCheckHandsRepeatsOver() throws {
        let workspace = try ChunkedListTests.workspace(list: Array("email,name\na@example.fi,A\nA@example.fi,B\n".utf8))
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        var names: [String] = []
        try workspace.forEachSubscriber(list: "m", checkingDuplicates: false) { names.append($0.name) }
        #expect(names == ["A", "B"])
        #expect(throws: Diagnostics.self) { try workspace.forEachSubscriber(list: "m") { _ in } }
    }

    @Test func semicolonListIsRefusedWithAHint() {
        #expect(throws: Diagnostic.error(SourcePosition(path: "Lists/m.csv"),
            "the list uses ';' between columns; list files use ','. Bring spreadsheets in with `tiedote lists import FILE --list NAME`")) {
            try Self.read("email;name\na@example.fi;A\n")
        }
    }

    @Test func writtenTextReadsBack() throws {
        let subscribers = [
            Subscriber(email: "a@example.fi", name: "Virtanen, \"Matti\"", municipality: .aanekoski, interests: ["a", "b"]),
            Subscriber(email: "b@example.fi"),
        ]
        let back = try Self.read(ListFile.text(subscribers)).map { subscriber -> Subscriber in
            var copy = subscriber
            copy.position = nil
            return copy
        }
        #expect(back == subscribers)
    }

    @Test func suppressionSetFindsPlainAndHashedAddresses() {
        let hash = SuppressionSet.hashWithNewSalt("Forgotten@Example.fi")
        let set = SuppressionSet([
            Suppression(email: "gone@example.fi", reason: .unsubscribed, at: ""),
            Suppression(email: hash, reason: .forgotten, at: ""),
        ])
        #expect(set.suppression(for: "GONE@example.fi")?.reason == .unsubscribed)
        #expect(set.suppression(for: "forgotten@example.fi")?.reason == .forgotten)
        #expect(!set.contains("other@example.fi"))
        #expect(!hash.lowercased().contains("forgotten@example.fi"))
        // A fresh salt each time: the same address never gives the same row twice.
        #expect(SuppressionSet.hashWithNewSalt("a@example.fi") != SuppressionSet.hashWithNewSalt("a@example.fi"))
    }

    @Test func forgottenRowsAreFoundWhateverTheirSaltsAndHexCase() {
        let addresses = (0..<40).map { "poistettu\($0)@example.fi" }
        // Rows with salts of their own, rows sharing one salt, and one written in upper-case hex.
        var rows = addresses.prefix(20).map { Suppression(email: SuppressionSet.hashWithNewSalt($0), reason: .forgotten, at: "\($0)") }
        rows += addresses[20..<39].map { Suppression(email: SuppressionSet.hash($0, salt: "c0ffee"), reason: .forgotten, at: "\($0)") }
        let upper = SuppressionSet.hash(addresses[39], salt: "abc123")
        rows.append(Suppression(email: "sha256:abc123:" + upper.split(separator: ":")[2].uppercased(), reason: .forgotten, at: addresses[39]))
        let set = SuppressionSet(rows)
        for address in addresses {
            #expect(set.suppression(for: address.uppercased())?.at == address)
        }
        #expect(!set.contains("poistettu40@example.fi"))
        #expect(!set.contains("c0ffee:poistettu1@example.fi"))
    }

    @Test func appendSuppressionCreatesHeaderAndAppends() throws {
        let workspace = try Fixture.workspace()
        try FileManager.default.removeItem(at: workspace.url(Workspace.suppressionFile))
        try workspace.appendSuppression(Suppression(email: "A@Example.fi", reason: .bounced, at: "2026-11-28T10:00:00Z"))
        try workspace.appendSuppression(Suppression(email: "b@example.fi", reason: .complaint, at: "2026-11-28T10:01:00Z"))
        #expect(try workspace.text(Workspace.suppressionFile) == """
            email,reason,at
            a@example.fi,bounced,2026-11-28T10:00:00Z
            b@example.fi,complaint,2026-11-28T10:01:00Z

            """)
        #expect(try workspace.suppressions().contains("a@example.fi"))
    }

    @Test func checkListsFindsBadRowsAndMissingLists() throws {
        let workspace = try Fixture.workspace()
        try Data("email,name\nbroken,X\n".utf8).write(to: workspace.url("Lists/other.csv"))
        try FileManager.default.removeItem(at: workspace.url("Lists/members.csv"))
        let problems = workspace.checkLists()
        #expect(problems.map(\.message) == [
            "'broken' is not a usable address: the address has no @",
            "the list 'members' has no file Lists/members.csv; bring one in with `tiedote lists import FILE --list members`",
        ])
        #expect(problems.first?.position?.line == 2)
        #expect(try workspace.listNames() == ["other"])
    }
}
