import Testing
@testable import TiedoteExport

struct JSONValueTests {
    @Test(arguments: [
        (JSONValue.string("a\"b\\c"), "\"a\\\"b\\\\c\""),
        (.string("rivi\nrivi\t\u{01}"), "\"rivi\\nrivi\\t\\u0001\""),
        (.string("ääkköset ja 🎭 / https://x.fi/"), "\"ääkköset ja 🎭 / https://x.fi/\""),
        (.string("\u{2028}"), "\"\\u2028\""),
        (.int(-5), "-5"), (.bool(true), "true"), (.null, "null"), (.array([]), "[]"), (.object([]), "{}"),
        (.object([("b", .int(1)), ("a", .array([.bool(false), .null]))]), "{\"b\":1,\"a\":[false,null]}"),
    ])
    func compact(value: JSONValue, expected: String) {
        #expect(value.serialized(indent: nil) == expected)
    }

    @Test func prettyKeepsKeyOrder() {
        let value = JSONValue.array([.object([("z", .string("<p>")), ("a", .object([("fi", .string("x"))]))])])
        #expect(value.serialized() == "[\n  {\n    \"z\": \"<p>\",\n    \"a\": {\n      \"fi\": \"x\"\n    }\n  }\n]")
    }

    @Test func escapingHTML() {
        #expect(JSONValue.string("<a>&").serialized(indent: nil, escapingHTML: true) == "\"\\u003ca\\u003e\\u0026\"")
    }
}

struct ExportReportTests {
    @Test func oneFailingEventDoesNotStopTheOthers() throws {
        let good = Sample.event(id: "a")
        let bad = Sample.event(id: "b", venue: "Tuntematon paikka")
        let alsoGood = Sample.event(id: "c")
        let report = ExportTarget.kalenteri.export([good, bad, alsoGood], settings: Sample.settings, now: 0)
        #expect(report.exported == ["a", "c"])
        #expect(report.leftOut == ["b"])
        #expect(report.hasErrors)
        #expect(report.diagnostics.allSatisfy { $0.position?.path == "Events/b.md" })
        let text = try #require(report.files.first?.text)
        #expect(text.components(separatedBy: "\"type_id\"").count == 3)
    }

    @Test(arguments: ExportTarget.allCases)
    func everyTargetWritesItsFilesEvenWithNoEvents(target: ExportTarget) {
        let report = target.export([], settings: Sample.settings, now: 0)
        #expect(report.files.map(\.name) == target.fileNames)
        #expect(!report.hasErrors)
    }

    @Test(arguments: ExportTarget.allCases)
    func sampleEventPassesEveryTarget(target: ExportTarget) {
        let report = target.export([Sample.event()], settings: Sample.settings, now: 0)
        #expect(report.diagnostics == [])
        #expect(report.exported == [Sample.event().id])
    }
}
