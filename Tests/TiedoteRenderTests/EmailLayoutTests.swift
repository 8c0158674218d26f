import Foundation
import Testing
import TiedoteCore

@testable import TiedoteRender

@Suite("EmailLayout")
struct EmailLayoutTests {
    /// The repository's own `Templates/layout.html`, found from this file's path.
    static func repositoryLayout() throws -> EmailLayout {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = try String(contentsOf: root.appendingPathComponent("Templates/layout.html"), encoding: .utf8)
        return EmailLayout(template: try Template(parsing: source, path: "Templates/layout.html"))
    }

    static func context(preheader: TemplateValue = .string("Joulukuun tuottajakahvit & muuta")) -> TemplateValue {
        .object([
            "subject": .string("Tuottajaverkoston uutiskirje, joulukuu 2026"),
            "preheader": preheader,
            "network": .object([
                "name": .string("Keski-Suomen tuottajaverkosto <KSTV> & ystävät"),
                "website": .string("https://example.fi/tuottajat"),
            ]),
            "coordinator": .object([
                "name": .string("Villa Rana"), "email": .string("koordinaattori@example.fi"),
            ]),
            "recipient": .object([
                "email": .string("aino.virtanen@example.fi"),
                "unsubscribe_url": .string("https://example.fi/peru?t=abc&k=1"),
            ]),
        ])
    }

    static let content = MarkdownDocument(
        "## Tapahtumat\n\n![Yleisöä salissa](https://example.fi/kuva.jpg)\n\nTervetuloa!\n"
    ).html(styled: true)

    @Test("the shell carries language, charset, width, preheader and a visible unsubscribe link")
    func shell() throws {
        let html = try Self.repositoryLayout().render(contentHTML: Self.content, context: Self.context())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Tuottajaverkoston uutiskirje, joulukuu 2026</title>"))
        #expect(html.contains("max-width:600px"))
        #expect(html.contains("display:none;"))
        #expect(html.contains(">Joulukuun tuottajakahvit &amp; muuta</span>"))
        #expect(html.contains("Keski-Suomen tuottajaverkosto &lt;KSTV&gt; &amp; ystävät</a>"))
        #expect(html.contains("<a href=\"https://example.fi/peru?t=abc&amp;k=1\" style=\"color:#0b5394;text-decoration:underline;font-weight:bold;\">Peru tilaus</a>"))
        #expect(html.contains("Villa Rana"))
        #expect(html.contains(Self.content))
        #expect(!html.contains("<style"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("{{"))
    }

    @Test("every image has an alt text and fits the column")
    func images() throws {
        let html = try Self.repositoryLayout().render(contentHTML: Self.content, context: Self.context())
        let images = html.components(separatedBy: "<img ").dropFirst()
        #expect(images.count == 1)
        for image in images {
            let tag = image.prefix { $0 != ">" }
            #expect(tag.contains("alt=\"Yleisöä salissa\""))
            #expect(tag.contains("max-width:100%"))
        }
    }

    @Test("no preheader, no hidden span")
    func withoutPreheader() throws {
        let html = try Self.repositoryLayout().render(contentHTML: "<p>x</p>", context: Self.context(preheader: .null))
        #expect(!html.contains("display:none"))
    }

    @Test("a name the context lacks is an error in the layout file")
    func strict() throws {
        let layout = EmailLayout(
            template: try Template(
                parsing: "<html lang=\"fi\">\n{{{content}}}\n<a href=\"{{recipient.unsubscribe_url}}\">Peru tilaus</a>\n",
                path: "Templates/layout.html"))
        let expected = Diagnostic.error(
            SourcePosition(path: "Templates/layout.html", line: 3, column: 10),
            "unknown placeholder 'recipient.unsubscribe_url': nothing by that name here; use one of: content, subject")
        #expect(throws: expected) {
            try layout.render(contentHTML: "<p>x</p>", context: .object(["subject": .string("Aihe")]))
        }
    }

    @Test("content is inserted as it is, context values are HTML-escaped")
    func escaping() throws {
        let layout = EmailLayout(template: try Template(parsing: "<h1>{{subject}}</h1>{{{content}}}", path: "l.html"))
        let html = try layout.render(contentHTML: "<p><em>x</em></p>", context: .object(["subject": .string("A & <B>")]))
        #expect(html == "<h1>A &amp; &lt;B&gt;</h1><p><em>x</em></p>")
    }
}
