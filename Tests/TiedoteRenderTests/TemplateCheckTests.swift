import Testing
import TiedoteCore

@testable import TiedoteRender

@Suite("Template.unknownNames")
struct TemplateCheckTests {
    private static let path = "Templates/newsletter.md"

    private static func at(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
        .error(SourcePosition(path: path, line: line, column: column), message)
    }

    @Test("every branch is checked and every problem reported, in template order")
    func allBranches() throws {
        let source = """
            {{#has_events}}
            {{#events}}
            - {{titel}} {{when}}
            {{/events}}
            {{/has_events}}
            {{^has_events}}
            Ei tapahtumia {{kuukausi}}.
            {{/has_events}}
            {{#tapahtumat}}{{ei_tarkisteta}}{{/tapahtumat}}
            {{> alatunniste}}
            {{recipient.etunimi}}
            """
        let context: TemplateValue = [
            "has_events": true,
            "events": [["title": "A", "when": "ke"], ["title": "B", "when": "to"]],
            "recipient": ["first_name": "Aino"],
        ]
        let template = try Template(parsing: source, path: Self.path)
        #expect(template.unknownNames(in: context) == [
            Self.at(3, 3, "unknown placeholder 'titel': nothing by that name here; use one of: events, has_events, recipient, title, when"),
            Self.at(7, 15, "unknown placeholder 'kuukausi': nothing by that name here; use one of: events, has_events, recipient"),
            Self.at(9, 1, "unknown placeholder 'tapahtumat': nothing by that name here; use one of: events, has_events, recipient"),
            Self.at(10, 1, "unknown partial 'alatunniste' (no partials are loaded)"),
            Self.at(11, 1, "unknown placeholder 'recipient.etunimi': 'recipient' has no field 'etunimi'; use one of: first_name"),
        ])
    }

    @Test("a correct template has no problems, and a template that renders has none it would throw")
    func clean() throws {
        let template = try Template(parsing: "{{#events}}{{title}}{{/events}}{{^events}}-{{/events}}", path: Self.path)
        let context: TemplateValue = ["events": [["title": "A"]]]
        #expect(template.unknownNames(in: context) == [])
        #expect(try template.render(context, escaping: .markdown) == "A")
    }
}
