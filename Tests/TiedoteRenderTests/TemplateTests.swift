import Testing
import TiedoteCore

@testable import TiedoteRender

/// A test case whose name is its first field, so failures say which one.
struct TemplateErrorCase: Sendable, CustomTestStringConvertible {
    var template: String
    var context: TemplateValue
    var line: Int
    var column: Int
    var message: String

    var testDescription: String { template.debugDescription }
}

private let path = "Templates/newsletter.md"

private func at(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
    .error(SourcePosition(path: path, line: line, column: column), message)
}

private let event: TemplateValue = .object([
    "title": .string("Tuottajakahvit"), "when": .string("ke 2.12.2026 klo 14.00–16.00"),
])

@Suite("Template")
struct TemplateTests {
    static let strictCases: [TemplateErrorCase] = [
        TemplateErrorCase(
            template: "Hei {{nimi}}!", context: .object(["name": .string("Aino")]), line: 1, column: 5,
            message: "unknown placeholder 'nimi': nothing by that name here; use one of: name"),
        TemplateErrorCase(
            template: "Hyvää päivää, {{etunimi}}", context: .object(["first_name": .string("Aino")]),
            line: 1, column: 15,
            message: "unknown placeholder 'etunimi': nothing by that name here; use one of: first_name"),
        TemplateErrorCase(
            template: "# Tapahtumat\n\n{{#events}}\n- {{titel}}\n{{/events}}\n",
            context: .object(["events": .list([event])]), line: 4, column: 3,
            message: "unknown placeholder 'titel': nothing by that name here; use one of: events, title, when"),
        TemplateErrorCase(
            template: "{{event.titel}}", context: .object(["event": event]), line: 1, column: 1,
            message: "unknown placeholder 'event.titel': 'event' has no field 'titel'; use one of: title, when"),
        TemplateErrorCase(
            template: "x\n{{#tapahtumat}}\n{{/tapahtumat}}", context: .object(["events": .list([])]),
            line: 2, column: 1,
            message: "unknown placeholder 'tapahtumat': nothing by that name here; use one of: events"),
        TemplateErrorCase(
            template: "a\n  {{^ei_tapahtumia}}Ei tapahtumia.{{/ei_tapahtumia}}", context: .object([:]),
            line: 2, column: 3,
            message: "unknown placeholder 'ei_tapahtumia': nothing by that name here, and there are no names to use here"),
        TemplateErrorCase(
            template: "{{event.title.x}}", context: .object(["event": event]), line: 1, column: 1,
            message: "unknown placeholder 'event.title.x': 'event.title' has no fields, so 'x' names nothing"),
        TemplateErrorCase(
            template: "Tapahtumat: {{events}}", context: .object(["events": .list([event])]), line: 1, column: 13,
            message: "placeholder 'events' is a list, not text: go through it with {{#events}}…{{/events}} and show its fields"),
        TemplateErrorCase(
            template: "{{{kuvaus}}}", context: .object(Dictionary(uniqueKeysWithValues: (1...21).map { ("k\($0)", .null) })),
            line: 1, column: 1, message: "unknown placeholder 'kuvaus': nothing by that name here; check the spelling"),
        TemplateErrorCase(
            template: "ok\n\n  {{> alatunniste}}\n", context: .object([:]), line: 3, column: 3,
            message: "unknown partial 'alatunniste' (no partials are loaded)"),
    ]

    @Test("strict mode names the unknown placeholder and where it is", arguments: strictCases)
    func strictErrors(_ testCase: TemplateErrorCase) throws {
        let template = try Template(parsing: testCase.template, path: path)
        let expected = at(testCase.line, testCase.column, testCase.message)
        #expect(throws: expected) {
            try template.render(testCase.context, escaping: .markdown)
        }
    }

    @Test("non-strict mode renders unknown names as nothing", arguments: strictCases.filter { !$0.message.hasPrefix("placeholder") })
    func lenient(_ testCase: TemplateErrorCase) throws {
        let template = try Template(parsing: testCase.template, path: path)
        _ = try template.render(testCase.context, escaping: .markdown, strict: false)
    }

    @Test("an error inside a partial points into the partial's file")
    func errorInPartial() throws {
        let footer = try Template(parsing: "---\n{{coordinator.nimi}}\n", path: "Templates/footer.md")
        let main = try Template(parsing: "Teksti\n{{> footer}}\n", path: path)
        let context: TemplateValue = .object(["coordinator": .object(["name": .string("Villa Rana")])])
        let expected = Diagnostic.error(
            SourcePosition(path: "Templates/footer.md", line: 2, column: 1),
            "unknown placeholder 'coordinator.nimi': 'coordinator' has no field 'nimi'; use one of: name")
        #expect(throws: expected) {
            try main.render(context, partials: ["footer": footer], escaping: .markdown)
        }
    }

    @Test("null is present: empty, and false for sections")
    func nullIsPresent() throws {
        let template = try Template(
            parsing: "[{{preheader}}]{{#preheader}}kyllä{{/preheader}}{{^preheader}}ei{{/preheader}}[{{preheader.x}}]",
            path: path)
        #expect(try template.render(.object(["preheader": .null]), escaping: .markdown) == "[]ei[]")
    }

    /// Template source and the parse error it must give.
    static let parseCases: [(String, Diagnostic)] = [
        ("Hei {{nimi", at(1, 5, "unclosed tag: '{{' has no matching '}}'")),
        ("Hyvää {{{kuvaus}}", at(1, 7, "unclosed tag: '{{' has no matching '}}'")),
        ("{{#events}}\n- x\n", at(1, 1, "section '{{#events}}' is never closed: add {{/events}}")),
        (
            "{{#a}}\n  {{/b}}",
            at(2, 3, "'{{/b}}' does not match the open section '{{#a}}' (line 1, column 1): close it with {{/a}}")
        ),
        ("x {{/a}}", at(1, 3, "'{{/a}}' closes a section that was never opened: remove it or open it with {{#a}}")),
        (
            "{{=<% %>}}",
            at(1, 1, "bad set-delimiter tag '{{=<% %>}}': write it as {{=<% %>=}}: two delimiters, separated by a space, without '=' or spaces in them")
        ),
        (
            "a\n{{= a b c =}}",
            at(2, 1, "bad set-delimiter tag '{{= a b c =}}': write it as {{=<% %>=}}: two delimiters, separated by a space, without '=' or spaces in them")
        ),
        ("{{=<% %>=}}\nää <%x", at(2, 4, "unclosed tag: '<%' has no matching '%>'")),
        ("{{}}", at(1, 1, "empty tag '{{}}': put a name between the delimiters")),
        (
            "ö {{event title}}",
            at(1, 3, "bad name 'event title' in '{{event title}}': use letters, digits, '_' and '-', with dots between fields (event.title)")
        ),
        (
            "{{event..title}}",
            at(1, 1, "bad name 'event..title' in '{{event..title}}': use letters, digits, '_' and '-', with dots between fields (event.title)")
        ),
        ("{{>}}", at(1, 1, "bad partial tag '{{>}}': name one partial, as in {{> footer}}")),
        ("a {{<layout}}", at(1, 3, "template inheritance ('{{<…') is not supported: use a partial, as in {{> footer}}")),
    ]

    @Test("parse errors name the tag's position", arguments: parseCases)
    func parseErrors(source: String, expected: Diagnostic) {
        #expect(throws: expected) {
            try Template(parsing: source, path: path)
        }
    }

    /// Escaping, the value, and what `{{x}}` / `{{{x}}}` give.
    static let escapingCases: [(TemplateEscaping, String, String)] = [
        (.html, "Teatteri & <tanssi> \"iso\" 'pieni'", "Teatteri &amp; &lt;tanssi&gt; &quot;iso&quot; 'pieni'"),
        (.none, "a & <b>", "a & <b>"),
        (.markdown, "*Tanssi_lava* & <b> #1 [x](y)", "\\*Tanssi\\_lava\\* \\& \\<b\\> \\#1 \\[x\\]\\(y\\)"),
        (.markdown, "rivi\n\nrivi\r\ntoinen\tsarake", "rivi rivi toinen sarake"),
        (.markdown, "Äänekoski – 2.12.", "Äänekoski – 2\\.12\\."),
    ]

    @Test("values are escaped for where they land; triple mustache is not", arguments: escapingCases)
    func escaping(mode: TemplateEscaping, value: String, expected: String) throws {
        let context: TemplateValue = .object(["x": .string(value)])
        #expect(try Template(parsing: "{{x}}", path: path).render(context, escaping: mode) == expected)
        #expect(try Template(parsing: "{{{x}}}", path: path).render(context, escaping: mode) == value)
        #expect(try Template(parsing: "{{&x}}", path: path).render(context, escaping: mode) == value)
    }

    @Test("a template is a Sendable value rendered many times")
    func renderMany() throws {
        let template = try Template(parsing: "{{#events}}- {{title}}\n{{/events}}", path: path)
        let context: TemplateValue = .object(["events": .list([event, event])])
        let first = try template.render(context, escaping: .markdown)
        #expect(first == "- Tuottajakahvit\n- Tuottajakahvit\n")
        #expect(try template.render(context, escaping: .markdown) == first)
    }
}

@Suite("Template partials")
struct TemplatePartialTests {
    @Test("a standalone partial after a value line is still indented")
    func indentAfterValue() throws {
        let main = try Template(parsing: "{{x}}\n  {{> p}}\nloppu", path: "main.md")
        let partial = try Template(parsing: "a\n{{y}}\n", path: "p.md")
        let context: TemplateValue = ["x": "X", "y": "Y\nZ"]
        let output = try main.render(context, partials: ["p": partial], escaping: .none)
        #expect(output == "X\n  a\n  Y\nZ\nloppu")
    }

    @Test("a partial that includes itself forever is stopped with an error")
    func selfInclusion() throws {
        let loop = try Template(parsing: "x{{> loop}}", path: "loop.md")
        let expected = Diagnostic.error(
            SourcePosition(path: "loop.md", line: 1, column: 2),
            "partial 'loop' nests more than 64 levels deep: does it include itself?")
        #expect(throws: expected) {
            try loop.render([:], partials: ["loop": loop], escaping: .none)
        }
    }

    @Test("literals build the same values as the cases")
    func literals() {
        let built: TemplateValue = ["a": "x", "b": true, "c": ["y"], "d": nil]
        #expect(built == .object(["a": .string("x"), "b": .bool(true), "c": .list([.string("y")]), "d": .null]))
    }
}
