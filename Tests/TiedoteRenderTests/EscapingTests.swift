import Testing
import TiedoteCore

@testable import TiedoteRender

/// Titles merged with Markdown escaping must print exactly as written once cmark renders them.
@Suite("Markdown escaping through cmark")
struct EscapingTests {
    static let titles: [String] = [
        "Tanssi*lava* ja _vapaaehtoiset_",
        "**Ei lihava** vaan tähdet",
        "<Teatteri> & kahvit",
        "<script>alert(1)</script>",
        "AT&T &amp; &copy; &#169;",
        "#1 tuottajakahvit",
        "# Ei otsikko",
        "[Ilmoittaudu](https://example.fi)",
        "![kuva](https://example.fi/k.jpg)",
        "1. kerta Saarijärvellä",
        "2026. vuoden viimeinen",
        "- ei lista",
        "+ ei lista",
        "> ei lainaus",
        "=====",
        "---",
        "`koodi` ja ``tuplat``",
        "C:\\polku\\tiedosto",
        "Hinta 10 € / 5 €, 50 % alennus!",
        "<https://example.fi>",
        "Kulttuuri~matkailu | foorumi {2027} ^ @ $",
        "Rivi\\",
        "Loppuun kaksi välilyöntiä  ",
    ]

    @Test("a title prints as written in HTML and plain text", arguments: titles)
    func title(_ title: String) throws {
        let template = try Template(parsing: "{{title}}\n\nSaarijärvi: {{title}}\n\n- {{title}}\n", path: "t.md")
        let markdown = try template.render(.object(["title": .string(title)]), escaping: .markdown)
        let document = MarkdownDocument(markdown)

        let shown = title.trimmingTrailingSpaces()
        let html = shown.markupEscaped
        #expect(document.html() == "<p>\(html)</p>\n<p>Saarijärvi: \(html)</p>\n<ul>\n<li>\(html)</li>\n</ul>\n")
        #expect(document.plainText(width: nil) == "\(shown)\n\nSaarijärvi: \(shown)\n\n- \(shown)\n")
    }

    @Test("a title with line breaks stays on one line")
    func newlines() throws {
        let template = try Template(parsing: "## {{title}}\n", path: "t.md")
        let markdown = try template.render(.object(["title": .string("Eka\n\n# toka\n- kolmas")]), escaping: .markdown)
        #expect(MarkdownDocument(markdown).html() == "<h2>Eka # toka - kolmas</h2>\n")
    }

    @Test("Markdown inserted with triple mustache is rendered as Markdown")
    func tripleMustache() throws {
        let template = try Template(parsing: "{{{description}}}\n", path: "t.md")
        let markdown = try template.render(.object(["description": .string("*Tervetuloa!*")]), escaping: .markdown)
        #expect(MarkdownDocument(markdown).html() == "<p><em>Tervetuloa!</em></p>\n")
    }
}

extension String {
    /// CommonMark drops a paragraph's trailing spaces, so the expected text does too.
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
