import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct ErasureTests {
    /// Every file under `root` (hidden ones too) whose bytes hold the address `needle`,
    /// case-insensitively, as a whole address (so `paino@…` does not count for `aino@…`).
    /// A plain grep, independent of the code under test.
    static func filesHolding(_ needle: String, under root: URL) throws -> [String] {
        let escaped = NSRegularExpression.escapedPattern(for: needle)
        let pattern = try NSRegularExpression(
            pattern: "(?<![A-Za-z0-9._%+-])\(escaped)(?![A-Za-z0-9-])", options: [.caseInsensitive])
        var hits: [String] = []
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                hits.append(url.lastPathComponent)
            }
        }
        return hits
    }

    /// While a send holds its journal, forget refuses and changes nothing.
    @Test func forgetWaitsForARunningSend() throws {
        let workspace = try Fixture.workspace()
        try FileManager.default.createDirectory(at: workspace.url("Sent"), withIntermediateDirectories: true)
        let journal = workspace.url("Sent/2026-12--members.journal")
        try Data("2026-11-29T00:00:00Z\tsent\taino@example.fi\t250\tid\tok\n".utf8).write(to: journal)
        // The lock a running send holds (Journal takes the same one).
        let descriptor = open(journal.path, O_RDWR)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let before = try Data(contentsOf: workspace.url("Lists/suppressed.csv"))
        #expect(throws: Diagnostic.error(SourcePosition(path: workspace.displayPath("Sent/2026-12--members.journal")),
            "a send is running (its journal is in use): run forget again when it has finished")) {
            try Erasure.forget("aino@example.fi", in: workspace)
        }
        #expect(try Data(contentsOf: journal).count > 0)
        #expect(try Data(contentsOf: workspace.url("Lists/suppressed.csv")) == before, "nothing was written")
    }

    @Test func forgetLeavesTheAddressNowhere() throws {
        let workspace = try Fixture.workspace()
        let address = "aino@example.fi"
        // Put the address everywhere Tiedote itself writes it.
        try workspace.appendSuppression(Suppression(email: "AINO@example.fi", reason: .bounced, at: "2026-10-01T00:00:00Z"))
        try Data("email,name\n\"Aino@Example.fi\",\"Aino\nMäkelä\"\npaino@example.fi,P\n".utf8)
            .write(to: workspace.url("Lists/fans.csv"))
        try FileManager.default.createDirectory(at: workspace.url("Sent/2026-12-members"), withIntermediateDirectories: true)
        try Data("{\"to\":\"aino@example.fi\",\"state\":\"sent\"}\n{\"to\":\"paino@example.fi\",\"state\":\"sent\"}\n".utf8)
            .write(to: workspace.url("Sent/2026-12-members/journal.jsonl"))
        try FileManager.default.createDirectory(at: workspace.url("out/outbox/new"), withIntermediateDirectories: true)
        try Data("To: Aino <aino@example.fi>\r\nSubject: Uutiskirje\r\n\r\nHei\r\n".utf8)
            .write(to: workspace.url("out/outbox/new/1.eml"))
        _ = try ListImport.run(file: try Fixture.url("bad-rows.csv"), source: "bad-rows.csv", list: "members", in: workspace)

        let report = try Erasure.forget("Aino@Example.FI", in: workspace)

        #expect(try Self.filesHolding(address, under: workspace.root) == [])
        #expect(report.remaining.isEmpty)
        #expect(report.deletedFiles.contains { $0.hasSuffix("out/outbox/new/1.eml") })
        // Neighbours whose address merely contains it are untouched.
        #expect(try workspace.text("Lists/fans.csv").contains("paino@example.fi"))
        #expect(try workspace.subscribers(list: "members").contains { $0.email == "paino@example.fi" })
        let journal = try workspace.text("Sent/2026-12-members/journal.jsonl")
        #expect(journal.contains("{\"to\":\"\(report.hash)\",\"state\":\"sent\"}"))
        #expect(journal.contains("paino@example.fi"))
        // Only the hash is kept, and it still suppresses the address.
        let suppressions = try workspace.suppressions()
        #expect(suppressions.suppression(for: address)?.reason == .forgotten)
        #expect(suppressions.rows.contains { $0.email == report.hash && $0.reason == .forgotten })
        #expect(!suppressions.rows.contains { $0.reason == .bounced && $0.email.contains("aino") && !$0.email.contains("paino") })
    }

    @Test func laterImportCannotBringItBack() throws {
        let workspace = try Fixture.workspace()
        _ = try Erasure.forget("sven.svensson@example.fi", in: workspace)
        let report = try ListImport.run(
            file: try Fixture.url("excel-utf8-bom.csv"), source: "excel-utf8-bom.csv", list: "members", in: workspace)
        #expect(report.suppressed == [.init(line: 3, reason: .forgotten)])
        #expect(try Self.filesHolding("sven.svensson@example.fi", under: workspace.root) == [])
    }

    @Test func filesTheUserOwnsAreReportedNotEdited() throws {
        let workspace = try Fixture.workspace()
        let event = workspace.url("Events/2026-06-12-laukaa-konsertti.md")
        let original = try String(contentsOf: event, encoding: .utf8) + "Yhteys: eero@example.fi\n"
        try Data(original.utf8).write(to: event)
        let report = try Erasure.forget("eero@example.fi", in: workspace)
        #expect(try String(contentsOf: event, encoding: .utf8) == original)
        #expect(report.remaining.count == 1)
        #expect(report.remaining.first?.position?.line == original.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        #expect(report.remaining.first?.position?.column == 9)
    }

    @Test(arguments: [
        ("aino@example.fi", true), ("AINO@EXAMPLE.FI", true), ("<aino@example.fi>", true), ("aino@example.fi.", true),
        ("paino@example.fi", false), ("aino@example.fi.invalid", false), ("x.aino@example.fi", false),
        ("aino@example.fin", false),
    ])
    func matchesWholeAddressesOnly(text: String, matches: Bool) {
        #expect(AddressMatch.contains("aino@example.fi", in: text) == matches)
    }
}

extension ErasureTests {
    @Test func internationalDomainIsForgottenInBothForms() throws {
        let workspace = try Fixture.workspace()
        _ = try ListImport.run(
            file: try Fixture.url("excel-utf8-bom.csv"), source: "excel-utf8-bom.csv", list: "members", in: workspace)
        #expect(try workspace.subscribers(list: "members").contains { $0.email == "juha@xn--kyl-sla.example.fi" })
        try FileManager.default.createDirectory(at: workspace.url("Sent"), withIntermediateDirectories: true)
        try Data("sent juha@kylä.example.fi\nsent juha@xn--kyl-sla.example.fi\n".utf8).write(to: workspace.url("Sent/j.log"))

        _ = try Erasure.forget("Juha@Kylä.Example.fi", in: workspace)

        #expect(try Self.filesHolding("juha@xn--kyl-sla.example.fi", under: workspace.root) == [])
        #expect(try Self.filesHolding("juha@kylä.example.fi", under: workspace.root) == [])
        let suppressions = try workspace.suppressions()
        #expect(suppressions.contains("juha@xn--kyl-sla.example.fi"))
        #expect(suppressions.contains("JUHA@KYLÄ.EXAMPLE.FI"))
    }
}
