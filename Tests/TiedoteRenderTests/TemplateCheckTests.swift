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

/// Checking and rendering stay bounded whatever the template: no stack overflow on deep
/// nesting, no exponential work on nested lists or recursive partials.
@Suite("Template limits")
struct TemplateLimitTests {
    private static let path = "Templates/newsletter.md"

    /// Lists of `count` distinct events, as a real month has.
    private static func context(events count: Int) -> TemplateValue {
        .object([
            "events": .list((0..<count).map { .object(["title": .string("Tapahtuma \($0)"), "has_image": .bool($0 % 2 == 0)]) }),
            "network": ["name": "Verkosto"],
        ])
    }

    private static func nodeCount(_ nodes: [TemplateNode]) -> Int {
        nodes.reduce(0) { count, node in
            if case .section(_, _, let children, _) = node { return count + 1 + nodeCount(children) }
            return count + 1
        }
    }

    @Test("nested list sections are checked once each, not once per combination of items")
    func nestedListsAreLinear() throws {
        let depth = 10
        let source = String(repeating: "{{#events}}{{title}}", count: depth) + "{{nimi}}" + String(repeating: "{{/events}}", count: depth)
        let template = try Template(parsing: source, path: Self.path)
        let (problems, visits) = template.checked(in: Self.context(events: 4), partials: [:])
        #expect(problems.count == 1 && problems.first?.position?.column == 10 * 20 + 1)
        #expect(visits <= 2 * Self.nodeCount(template.nodes), "4^10 combinations must not be walked")
    }

    @Test("a partial that includes itself twice is checked once per context, not 2^16 times")
    func recursivePartialsAreLinear() throws {
        let partial = try Template(parsing: "{{#network}}{{name}}{{> itse}}{{> itse}}{{/network}}{{tuntematon}}", path: "Templates/itse.md")
        let template = try Template(parsing: "{{> itse}}", path: Self.path)
        let (problems, visits) = template.checked(in: Self.context(events: 1), partials: ["itse": partial])
        // Once at the top level and once inside 'network', where other names are in reach.
        #expect(problems.map(\.position?.column) == [53, 53])
        #expect(visits < 50)
    }

    @Test("a list's items are checked together: a field of any item is known")
    func listItemsTogether() throws {
        let template = try Template(parsing: "{{#events}}{{#has_image}}kuva{{/has_image}}{{title}}{{/events}}", path: Self.path)
        #expect(template.unknownNames(in: Self.context(events: 3)) == [])
    }

    @Test("sections nest at most 100 deep; the tag one level too deep is the error")
    func sectionDepth() throws {
        let fine = String(repeating: "{{#network}}", count: 100) + "{{name}}" + String(repeating: "{{/network}}", count: 100)
        let template = try Template(parsing: fine, path: Self.path)
        #expect(try template.render(Self.context(events: 1), escaping: .none) == "Verkosto")
        #expect(template.unknownNames(in: Self.context(events: 1)) == [])

        let deep = String(repeating: "{{#has_events}}", count: 40_000) + String(repeating: "{{/has_events}}", count: 40_000)
        #expect(throws: Diagnostic.error(
            SourcePosition(path: Self.path, line: 1, column: 100 * 15 + 1),
            "sections nest deeper than 100 levels at '{{#has_events}}': close the sections above it first"
        )) { try Template(parsing: deep, path: Self.path) }
    }

    @Test("partials stacking sections past 200 levels stop with the tag's position")
    func nestingAcrossPartials() throws {
        let sections = String(repeating: "{{#network}}", count: 90) + "{{> syva}}" + String(repeating: "{{/network}}", count: 90)
        let partial = try Template(parsing: sections, path: "Templates/syva.md")
        let template = try Template(parsing: "{{> syva}}", path: Self.path)
        #expect {
            try template.render(Self.context(events: 1), partials: ["syva": partial], escaping: .none)
        } throws: { error in
            let diagnostic = error as? Diagnostic
            return diagnostic?.position?.path == "Templates/syva.md"
                && diagnostic?.message.contains("nests deeper than 200 levels of sections and partials") == true
        }
    }

    @Test("nested list sections that would repeat without end stop with a position")
    func renderBudget() throws {
        let source = String(repeating: "{{#events}}\n", count: 12) + "{{title}}\n" + String(repeating: "{{/events}}\n", count: 12)
        let template = try Template(parsing: source, path: Self.path)
        #expect {
            try template.render(Self.context(events: 7), escaping: .markdown)
        } throws: { error in
            let diagnostic = error as? Diagnostic
            return diagnostic?.position?.path == Self.path
                && diagnostic?.message.contains("nested list sections do for every combination of their items") == true
        }
    }
}
