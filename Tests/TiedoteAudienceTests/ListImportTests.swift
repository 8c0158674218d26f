import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct ListImportTests {
    static func importing(
        _ fixture: String, existing: [Subscriber] = [], suppressions: SuppressionSet = SuppressionSet()
    ) throws -> ListImport.Outcome {
        try ListImport.merge(
            try Fixture.data(fixture), source: fixture, list: "members", existing: existing, suppressions: suppressions)
    }

    @Test func finnishExcelWindows1252SemicolonCRLF() throws {
        let outcome = try Self.importing("excel-fi-cp1252.csv")
        let report = outcome.report
        #expect(report.encoding == .windows1252)
        #expect(report.separator == .semicolon)
        #expect(report.rows == 4)
        #expect(report.ignoredColumns == ["Jäsenmaksu"])
        #expect(report.rejected.isEmpty)
        #expect(outcome.subscribers.map(ListFile.fields(of:)) == [
            ["aino.aijala@example.fi", "Aino Äijälä", "Saarijärvi", "tanssi;teatteri", "fi", "lomake", "2026-03-01"],
            ["olli.ohman@example.fi", "Olli Öhman", "Äänekoski", "musiikki", "fi", "tapahtuma", "2026-02-15T14:05"],
            ["asta.astrom@example.fi", "Åsta Åström", "Jyväskylä", "", "fi", "lomake", "2026-01-20"],
            ["pekka@example.fi", "Pekka \"Pete\"; Juhani Puolipiste", "Laukaa", "", "fi", "", ""],
        ])
        #expect(report.summary.first == "Read excel-fi-cp1252.csv: Windows-1252, separator ';', 4 rows")
    }

    @Test func excelUTF8WithBOM() throws {
        let outcome = try Self.importing("excel-utf8-bom.csv")
        #expect(outcome.report.encoding == .utf8WithBOM)
        #expect(outcome.report.separator == .semicolon)
        #expect(outcome.report.columns.map(\.column) == [.email, .name, .municipality, .language])
        #expect(outcome.subscribers.map(ListFile.fields(of:)) == [
            ["Maija.Meikalainen@example.fi", "Maija Meikäläinen", "Jämsä", "", "fi", "", ""],
            ["sven.svensson@example.fi", "Sven Svensson", "Jyväskylä", "", "sv", "", ""],
            ["juha@xn--kyl-sla.example.fi", "Juha Kylä", "Multia", "", "fi", "", ""],
        ])
    }

    @Test func sheetsWithMultiLineQuotedField() throws {
        let outcome = try Self.importing("sheets-multiline.csv")
        #expect(outcome.report.encoding == .utf8)
        #expect(outcome.report.separator == .comma)
        #expect(outcome.report.ignoredColumns == ["Notes"])
        #expect(outcome.subscribers.map(\.email) == ["liisa@example.fi", "matti@example.fi"])
        #expect(outcome.subscribers[0].interests == ["tanssi", "sirkus"])
        #expect(outcome.subscribers[1].name == "Virtanen, Matti")
        #expect(outcome.subscribers[1].municipality == .petajavesi)
    }

    @Test func badRowsAreRejectedByLineWithTheirReason() throws {
        let suppressions = SuppressionSet([Suppression(email: "unsubscribed@example.fi", reason: .unsubscribed, at: "2026-06-02T10:00:00Z")])
        let outcome = try Self.importing("bad-rows.csv", suppressions: suppressions)
        let report = outcome.report
        let rejected = report.rejected.map { "\($0.line): \($0.reason)" }
        #expect(rejected == [
            "3: 'no-at-sign.example.fi' is not a usable address: the address has no @",
            "4: 'two@@example.fi' is not a usable address: the address has 2 @ signs; it must have exactly one",
            "5: 'with space@example.fi' is not a usable address: the address contains a space",
            "6: 'nodot@localhost' is not a usable address: the domain 'localhost' has no dot; check it (e.g. example.fi)",
            "7: no address",
            "8: the row has 5 fields but the header has 4 (a value with ',' in it needs quotes)",
            "9: 'eilen' is not a date; write it as 1.3.2026 or 2026-03-01",
            "13: 'jänis@example.fi' is not a usable address: non-ASCII letters before the @ ('jänis') are not deliverable everywhere; ask for another address",
        ])
        #expect(report.duplicates == [.init(line: 10, firstLine: 2)])
        #expect(report.suppressed == [.init(line: 12, reason: .unsubscribed)])
        #expect(outcome.subscribers.map(\.email) == ["good.one@example.fi", "tampere@example.fi"])
        // The duplicate filled nothing: the first row had every field it had.
        #expect(outcome.subscribers[0].name == "Hyvä Yksi")
        // An unknown municipality keeps the row, without a municipality, and says so.
        #expect(outcome.subscribers[1].municipality == nil)
        #expect(report.notes.contains(.warning(
            SourcePosition(path: "bad-rows.csv", line: 11, column: 32),
            "'Tampere' is not one of the 22 municipalities of Keski-Suomi; imported without a municipality")))
        #expect(report.notes.contains(.warning(
            SourcePosition(path: "bad-rows.csv", line: 9, column: 34),
            "'eilen' is not a date; write it as 1.3.2026 or 2026-03-01; row not imported")))
    }

    @Test func mergeKeepsFieldsTheFileLacks() throws {
        let existing = [
            Subscriber(email: "sven.svensson@example.fi", name: "S. Svensson", municipality: .laukaa,
                       interests: ["musiikki"], language: "fi", consentSource: "lomake", consentedAt: "2025-05-01"),
            Subscriber(email: "other@example.fi", name: "Other"),
        ]
        let outcome = try Self.importing("excel-utf8-bom.csv", existing: existing)
        let sven = try #require(outcome.subscribers.first { $0.key == "sven.svensson@example.fi" })
        // The file has name, municipality and language: those change.
        #expect(sven.name == "Sven Svensson")
        #expect(sven.municipality == .jyvaskyla)
        #expect(sven.language == "sv")
        // It has no interests or consent columns: those stay.
        #expect(sven.interests == ["musiikki"])
        #expect(sven.consentSource == "lomake")
        #expect(sven.consentedAt == "2025-05-01")
        #expect(outcome.subscribers.map(\.email).prefix(2) == ["sven.svensson@example.fi", "other@example.fi"])
        #expect(outcome.report.added == 2)
        #expect(outcome.report.updated == 1)
        #expect(outcome.report.total == 4)
    }

    @Test func deduplicatesCaseInsensitivelyAgainstTheList() throws {
        let existing = [Subscriber(email: "maija.meikalainen@example.fi", name: "Maija Meikäläinen", municipality: .jamsa)]
        let outcome = try Self.importing("excel-utf8-bom.csv", existing: existing)
        #expect(outcome.subscribers.filter { $0.key == "maija.meikalainen@example.fi" }.count == 1)
        #expect(outcome.report.unchanged == 1)
    }

    /// A name that would smuggle a header line into a message never reaches the list.
    @Test func nameWithLineBreakIsRejected() throws {
        let data = Data("email,name\nhyva@example.fi,Hyvä\neve@example.fi,\"Eve\r\nBcc: x@example.fi\"\n".utf8)
        let outcome = try ListImport.merge(data, source: "in.csv", list: "members", existing: [], suppressions: SuppressionSet([]))
        #expect(outcome.subscribers.map(\.email) == ["hyva@example.fi"])
        #expect(outcome.report.rejected.map(\.line) == [3])
    }

    @Test func forgottenAddressCannotComeBack() throws {
        let hash = SuppressionSet.hashWithNewSalt("Sven.Svensson@example.fi")
        let suppressions = SuppressionSet([Suppression(email: hash, reason: .forgotten, at: "2026-11-01T00:00:00Z")])
        let outcome = try Self.importing("excel-utf8-bom.csv", suppressions: suppressions)
        #expect(!outcome.subscribers.contains { $0.key == "sven.svensson@example.fi" })
        #expect(outcome.report.suppressed == [.init(line: 3, reason: .forgotten)])
    }

    @Test(arguments: [
        ("Sähköposti", ImportColumn.email), ("E-mail", .email), ("sahkoposti-osoite", .email),
        ("Nimi", .name), ("Etunimi", .firstName), ("Sukunimi", .lastName), ("Kotikunta", .municipality),
        ("Kunta", .municipality), ("Kiinnostuksen kohteet", .interests), ("Kieli", .language),
        ("Suostumus", .consentSource), ("Suostumus pvm", .consentedAt), ("consented_at", .consentedAt),
    ])
    func recognisesHeaders(header: String, column: ImportColumn) {
        #expect(ImportColumn(header: header) == column)
    }

    @Test func fileWithoutAddressColumnIsRefused() {
        #expect(throws: Diagnostic.error(
            SourcePosition(path: "x.csv"),
            "no address column: name the column with the addresses 'sähköposti' or 'email' (found: Nimi, Kunta)")) {
            try ListImport.merge(Data("Nimi;Kunta\nAino;Laukaa\n".utf8), source: "x.csv", list: "m", existing: [], suppressions: SuppressionSet())
        }
    }

    @Test func runWritesListAtomicallyAndRejectsFile() throws {
        let workspace = try Fixture.workspace()
        let report = try ListImport.run(
            file: try Fixture.url("bad-rows.csv"), source: "bad-rows.csv", list: "members", in: workspace)
        #expect(report.rejectsPath != nil)
        // The list file reads back strictly, with the old rows first.
        let subscribers = try workspace.subscribers(list: "members")
        #expect(subscribers.first?.email == "aino@example.fi")
        #expect(subscribers.last?.email == "tampere@example.fi")
        let rejects = try Data(contentsOf: workspace.url(ListImport.rejectsPath(list: "members")))
        let (text, encoding) = CSV.decode(rejects)
        #expect(encoding == .utf8WithBOM)
        let records = try CSV.records(text, separator: .comma)
        #expect(records.first?.fields == ["line", "reason", "email", "name", "municipality", "consented_at"])
        #expect(records.dropFirst().map { $0.fields[0] } == ["3", "4", "5", "6", "7", "8", "9", "13"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.url("Lists").path)
        #expect(leftovers.sorted() == ["members.csv", "suppressed.csv"])
    }
}

extension ListImportTests {
    @Test func honoursExcelSepLine() throws {
        let data = Data("sep=;\r\nSähköposti;Nimi\r\na@example.fi;Aino, Ö\r\nbad;X\r\n".utf8)
        let outcome = try ListImport.merge(data, source: "s.csv", list: "m", existing: [], suppressions: SuppressionSet())
        #expect(outcome.report.separator == .semicolon)
        #expect(outcome.subscribers.map(\.name) == ["Aino, Ö"])
        #expect(outcome.report.rejected.map(\.line) == [4])
    }
}
