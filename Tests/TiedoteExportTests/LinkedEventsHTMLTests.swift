import Testing
import TiedoteCore
@testable import TiedoteExport

/// The description keeps only the tags Linked Events' sanitiser allows
/// (`linkedevents/settings.py` `BLEACH_ALLOWED_TAGS`); everything else becomes allowed tags
/// or plain text before it is sent.
struct LinkedEventsHTMLTests {
    @Test(arguments: [
        // Markdown, description HTML as sent
        ("# Otsikko\n\nTeksti.", "<p><strong>Otsikko</strong></p>\n<p>Teksti.</p>"),
        ("### Pieni otsikko", "<p><strong>Pieni otsikko</strong></p>"),
        ("Ennen\n\n---\n\nJälkeen", "<p>Ennen</p>\n\n<p>Jälkeen</p>"),
        ("```swift\nlet a = 1\nlet b = 2\n```", "<p><code>let a = 1<br>let b = 2</code></p>"),
        ("    sisennetty koodi", "<p><code>sisennetty koodi</code></p>"),
        ("![Kuva](https://example.fi/k.jpg)", "<p></p>"),
        ("3. kolmas\n4. neljäs", "<ol>\n<li>kolmas</li>\n<li>neljäs</li>\n</ol>"),
        ("- yksi\n- kaksi", "<ul>\n<li>yksi</li>\n<li>kaksi</li>\n</ul>"),
        ("> lainaus", "<blockquote>\n<p>lainaus</p>\n</blockquote>"),
        ("*kursiivi* ja **lihava** ja `koodi`", "<p><em>kursiivi</em> ja <strong>lihava</strong> ja <code>koodi</code></p>"),
        ("[linkki](https://example.fi \"Otsikko\")", "<p><a href=\"https://example.fi\" title=\"Otsikko\">linkki</a></p>"),
        ("[posti](mailto:a@example.fi)", "<p><a href=\"mailto:a@example.fi\">posti</a></p>"),
        ("rivi  \ntoinen", "<p>rivi<br>\ntoinen</p>"),
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
    ])
    func markdownBecomesAllowedHTML(markdown: String, expected: String) {
        #expect(LinkedEventsHTML.sanitize(EventText.html(markdown)) == expected)
    }

    @Test(arguments: [
        ("<h2 id=\"x\">A</h2>", "<p><strong>A</strong></p>"),
        ("<hr />", ""),
        ("<img src=\"x.jpg\" alt=\"kuva\" />", ""),
        ("<ol start=\"3\">", "<ol>"),
        ("<a href=\"ftp://x\">teksti</a>", "teksti"),
        ("<table><tr><td>solu</td></tr></table>", "solu"),
        ("<p class=\"x\">a</p>", "<p>a</p>"),
        ("<abbr title=\"Humanistinen ammattikorkeakoulu\">Humak</abbr>", "<abbr title=\"Humanistinen ammattikorkeakoulu\">Humak</abbr>"),
        ("<br/>", "<br>"),
    ])
    func htmlIsRewrittenTagByTag(html: String, expected: String) {
        #expect(LinkedEventsHTML.sanitize(html) == expected)
    }

    /// Every tag left in the output is an allowed one.
    @Test func onlyAllowedTagsRemain() {
        let markdown = "# A\n\n## B\n\n---\n\n```\nx\n```\n\n![i](https://e.fi/i.png)\n\n7. x\n\n> q\n\n[l](javascript:alert(1))"
        let html = LinkedEventsHTML.sanitize(EventText.html(markdown))
        let names = html.split(separator: "<").dropFirst().map { part in
            String(part.prefix { $0 != ">" && $0 != " " }).replacingOccurrences(of: "/", with: "")
        }
        #expect(names.allSatisfy { LinkedEventsHTML.allowedTags.contains($0) })
    }

    @Test(arguments: [
        ("tavallinen", "tavallinen"), ("a < b", "a &lt; b"), ("<b>", "&lt;b&gt;"), ("A & B", "A & B"),
    ])
    func plainTextIsEscapedNotStripped(text: String, expected: String) {
        #expect(LinkedEventsHTML.plainText(text) == expected)
    }
}

/// Place and keyword references: bare ids expand against the API's base; full `@id`s must lie
/// under it with the API's own path.
struct LinkedEventsReferenceTests {
    static let base = "https://kalenteri.example.fi/v1/"

    @Test(arguments: [
        ("tprek:7254", LinkedEventsReference.Kind.place, "https://kalenteri.example.fi/v1/place/tprek:7254/"),
        ("yso:p1235", .keyword, "https://kalenteri.example.fi/v1/keyword/yso:p1235/"),
        ("https://kalenteri.example.fi/v1/place/tprek:7254/", .place, "https://kalenteri.example.fi/v1/place/tprek:7254/"),
    ])
    func usableReferences(text: String, kind: LinkedEventsReference.Kind, url: String) {
        #expect(LinkedEventsReference.resolve(text, kind: kind, apiURL: Self.base) == .success(url))
        #expect(LinkedEventsReference.resolve(text, kind: kind, apiURL: "https://kalenteri.example.fi/v1") == .success(url))
    }

    @Test(arguments: [
        ("https://kalenteri.example.fi/place/villa-rana/", LinkedEventsReference.Kind.place, "is not under"),
        ("https://kalenteri.example.fi/v1/keyword/yso:p1235/", .place, "is not a place @id"),
        ("https://kalenteri.example.fi/v1/place/villa-rana/", .place, "is not a place @id"),
        ("https://kalenteri.example.fi/v1/place/tprek:7254", .place, "is not a place @id"),
        ("villa-rana", .place, "is not a Linked Events place id"),
        ("tprek 7254", .place, "is not a Linked Events place id"),
    ])
    func unusableReferences(text: String, kind: LinkedEventsReference.Kind, reason: String) throws {
        guard case let .failure(problem) = LinkedEventsReference.resolve(text, kind: kind, apiURL: Self.base) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(problem.description.contains(reason))
    }

    @Test func bareIDWithoutABaseAsksForIt() throws {
        guard case let .failure(problem) = LinkedEventsReference.resolve("tprek:7254", kind: .place, apiURL: nil) else {
            Issue.record("accepted without a base")
            return
        }
        #expect(problem.description.contains("set exports.kalenteri.api_url"))
    }
}
