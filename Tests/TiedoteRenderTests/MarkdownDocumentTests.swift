import Testing
import TiedoteCore

@testable import TiedoteRender

@Suite("MarkdownDocument")
struct MarkdownDocumentTests {
    /// Inputs without raw HTML or unsafe links, where the Swift renderer must equal cmark's.
    static let cmarkParityCases: [String] = [
        "Tervetuloa *tuottajakahveille* ja **keskustelemaan**!",
        "# Joulukuu\n\n## Tapahtumat\n\n### Villa Rana\n",
        "- yksi\n- kaksi\n  - sisäkkäinen\n- kolme\n",
        "1. eka\n\n2. toka\n\n   toinen kappale\n",
        "3. kolmas\n4. neljäs\n",
        "> Lainaus\n> jatkuu\n>\n> - lista lainauksessa\n",
        "```swift\nlet x = 1 < 2 && 3 > 2\n```\n",
        "    sisennetty koodi\n",
        "Rivi  \nrivinvaihto ja `koodi <b>`.",
        "[Ilmoittaudu](https://example.fi/ilmoittaudu?a=1&b=2 \"Otsikko\")",
        "<https://example.fi/ä ö>",
        "![Kuva salista](https://example.fi/kuva.jpg)",
        "Väliviiva\n\n---\n\nloppu",
        "Lainausmerkit \"näin\" ja 'näin' & AT&T",
        "[ääkköset](https://example.fi/sivu/äö?q=a b'c)",
        "Otsikko\n=======\n\nteksti",
    ]

    @Test("unstyled HTML equals cmark's own renderer", arguments: cmarkParityCases)
    func cmarkParity(markdown: String) {
        #expect(MarkdownDocument(markdown).html() == MarkdownDocument.referenceHTML(markdown))
    }

    /// Input and a fragment that must not appear anywhere in either HTML form.
    static let unsafeCases: [(String, String)] = [
        ("<script>alert(1)</script>", "<script"),
        ("Teksti <script>alert(1)</script> jatkuu", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("Kuva <img src=x onerror=alert(1)> tekstissä", "onerror"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](JaVaScRiPt:alert(1))", "alert(1)"),
        ("[x](&#106;avascript:alert(1))", "alert(1)"),
        ("[x](<java\tscript:alert(1)>)", "alert(1)"),
        ("[x](vbscript:msgbox(1))", "vbscript:"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("![x](javascript:alert(1))", "javascript:"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript:"),
        ("<iframe src=\"https://example.com\"></iframe>", "<iframe"),
        ("<!-- kommentti -->", "<!--"),
    ]

    @Test("raw HTML and script links never pass through", arguments: unsafeCases)
    func safeMode(markdown: String, forbidden: String) {
        let document = MarkdownDocument(markdown)
        #expect(!document.html().contains(forbidden))
        #expect(!document.html(styled: true).contains(forbidden))
        #expect(!document.plainText().contains(forbidden))
    }

    @Test("an unsafe link keeps its text")
    func unsafeLinkKeepsText() {
        #expect(MarkdownDocument("Katso [tästä](javascript:alert(1)).").html() == "<p>Katso tästä.</p>\n")
        #expect(MarkdownDocument("Katso [tästä](javascript:alert(1)).").plainText() == "Katso tästä.\n")
    }

    @Test("data: images are kept, data: links are not")
    func dataImages() {
        let image = MarkdownDocument("![piste](data:image/png;base64,AAAA)").html()
        #expect(image.contains("src=\"data:image/png;base64,AAAA\""))
        #expect(MarkdownDocument("[linkki](data:image/png;base64,AAAA)").html() == "<p>linkki</p>\n")
    }

    /// Markdown, a tag, and the inline style that tag must carry in styled HTML.
    static let styledCases: [(String, String, String)] = [
        ("kappale", "<p style=\"", "font-size:16px"),
        ("# Otsikko", "<h1 style=\"", "font-size:26px"),
        ("## Otsikko", "<h2 style=\"", "font-size:22px"),
        ("### Otsikko", "<h3 style=\"", "font-size:18px"),
        ("[a](https://example.fi)", "<a href=\"https://example.fi\" style=\"", "color:#0b5394"),
        ("- a\n- b", "<ul style=\"", "padding:0 0 0 24px"),
        ("1. a\n2. b", "<ol style=\"", "padding:0 0 0 24px"),
        ("- a", "<li style=\"", "margin:0 0 6px 0"),
        ("> a", "<blockquote style=\"", "border-left:4px solid"),
        ("---", "<hr style=\"", "border-top:1px solid"),
        ("![alt](https://example.fi/k.jpg)", "<img src=\"https://example.fi/k.jpg\" alt=\"alt\" style=\"", "max-width:100%"),
        ("`x`", "<code style=\"", "monospace"),
    ]

    @Test("styled HTML puts inline CSS on every element", arguments: styledCases)
    func styled(markdown: String, tag: String, css: String) throws {
        let html = MarkdownDocument(markdown).html(styled: true)
        let range = try #require(html.range(of: tag))
        let rest = html[range.upperBound...]
        let style = rest.prefix { $0 != "\"" }
        #expect(style.contains(css), "\(html)")
        #expect(!html.contains("<style"))
    }
}

/// Nesting deeper than the renderers go is found with its place and never overflows the stack.
@Suite("Markdown nesting")
struct MarkdownNestingTests {
    @Test("25,000 block quotes on one line: an error at the 101st, the text kept")
    func blockQuotes() throws {
        let document = MarkdownDocument("Kappale.\n\n" + String(repeating: ">", count: 25_000) + " syvällä")
        #expect(document.tooDeep == MarkdownDocument.Point(line: 3, column: 101))
        #expect(document.plainText(width: 72).contains("syvällä"))
        #expect(document.html().contains("syvällä"))
        let origin = SourcePosition(path: "Events/x.md", line: 10, column: 1)
        #expect(document.nestingProblem(from: origin) == .error(
            SourcePosition(path: "Events/x.md", line: 12, column: 101), MarkdownDocument.nestingMessage))
    }

    @Test("deep emphasis is reported on its line")
    func inlinePosition() {
        let document = MarkdownDocument("Kappale.\n\nä" + String(repeating: "*", count: 300) + "x" + String(repeating: "*", count: 300))
        #expect(document.tooDeep?.line == 3)
        #expect(document.plainText(width: nil).contains("x"))
    }

    /// Shapes of deep nesting, by name (the inputs are too long to print in a test report).
    static let shapes: [String: String] = [
        "list markers": String(repeating: "- ", count: 50_000) + "x",
        "ordered list markers": String(repeating: "1. ", count: 30_000) + "x",
        "emphasis": String(repeating: "*", count: 30_000) + "x" + String(repeating: "*", count: 30_000),
        "images": String(repeating: "![", count: 5_000) + "x" + String(repeating: "](u)", count: 5_000),
        "indented lists": (0..<1_000).map { String(repeating: "  ", count: $0) + "- taso" }.joined(separator: "\n"),
    ]

    @Test(arguments: shapes.keys.sorted())
    func deepShapes(shape: String) throws {
        let document = MarkdownDocument(try #require(Self.shapes[shape]))
        #expect(document.tooDeep != nil)
        _ = document.html(styled: true)
        _ = document.plainText(width: 72)
    }

    @Test("100 levels is fine and renders as nested as written")
    func atTheLimit() {
        let document = MarkdownDocument(String(repeating: ">", count: 100) + " x")
        #expect(document.tooDeep == nil)
        #expect(document.html().components(separatedBy: "<blockquote>").count == 101)
        let lists = MarkdownDocument(String(repeating: "- ", count: 50) + "x")
        #expect(lists.tooDeep == nil)
        #expect(MarkdownDocument(String(repeating: "- ", count: 51) + "x").tooDeep != nil)
    }
}
