/// Text as Linked Events stores it: `description` keeps only the tags its sanitiser allows,
/// every other text field is escaped, not stripped.
///
/// Upstream: `events/utils.py` `clean_text_fields` (in older releases `events/api.py`) runs
/// `bleach.clean(value, settings.BLEACH_ALLOWED_TAGS)` on `description` and `bleach.clean(value)`
/// (then `&amp;` back to `&`) on the other fields; `linkedevents/settings.py` sets
/// `BLEACH_ALLOWED_TAGS` to bleach's defaults plus `p`, `div` and `br`. bleach escapes a tag it
/// does not allow, so the calendar would show `<h2>` as text: this type turns the renderer's
/// HTML into allowed tags before it is sent.
enum LinkedEventsHTML {
    /// The tags `description` keeps.
    static let allowedTags: Set<String> = [
        "a", "abbr", "acronym", "b", "blockquote", "code", "em", "i", "li", "ol", "strong", "ul", "p", "div", "br",
    ]

    /// Attributes bleach keeps by default, per tag; every other attribute is dropped.
    static let allowedAttributes: [String: Set<String>] = ["a": ["href", "title"], "abbr": ["title"], "acronym": ["title"]]

    /// Link schemes bleach keeps by default.
    static let allowedSchemes = ["http:", "https:", "mailto:"]

    /// Rewrites rendered HTML into the allowed set: headings become `<p><strong>`, `pre`
    /// becomes `<p>` (its `code` kept, line breaks as `<br>`), `hr` and `img` are dropped,
    /// attributes outside the allowed set are dropped (`ol start`, `code class`), links with
    /// other schemes lose their tag, and any other tag is dropped with its text kept.
    static func sanitize(_ html: String) -> String {
        var out = ""
        var inPre = false
        var droppedLinks = 0
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            guard character == "<", let close = html[index...].firstIndex(of: ">") else {
                if inPre && character == "\n" {
                    // The last newline before </pre> ends the block; the others are breaks.
                    let rest = html[html.index(after: index)...]
                    if !rest.hasPrefix("</code></pre>") && !rest.hasPrefix("</pre>") { out += "<br>" }
                } else {
                    out.append(character)
                }
                index = html.index(after: index)
                continue
            }
            let tag = Tag(html[html.index(after: index)..<close])
            index = html.index(after: close)
            out += rewrite(tag, inPre: &inPre, droppedLinks: &droppedLinks)
        }
        return out
    }

    /// One tag's replacement.
    private static func rewrite(_ tag: Tag, inPre: inout Bool, droppedLinks: inout Int) -> String {
        switch tag.name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            return tag.closing ? "</strong></p>" : "<p><strong>"
        case "pre":
            inPre = !tag.closing
            return tag.closing ? "</p>" : "<p>"
        case "a" where !tag.closing:
            guard let href = tag.attributes.first(where: { $0.name == "href" })?.value,
                allowedSchemes.contains(where: { href.lowercased().hasPrefix($0) })
            else {
                droppedLinks += 1
                return ""
            }
            return tag.rendered(keeping: allowedAttributes["a"] ?? [])
        case "a":
            if droppedLinks > 0 {
                droppedLinks -= 1
                return ""
            }
            return "</a>"
        default:
            guard allowedTags.contains(tag.name) else { return "" }
            return tag.rendered(keeping: allowedAttributes[tag.name] ?? [])
        }
    }

    /// A plain-text field as the API stores it: `<` and `>` escaped, `&` left bare (bleach
    /// escapes it and `clean_text_fields` turns `&amp;` back).
    static func plainText(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// One parsed tag: `</a>`, `<ol start="3">`, `<br />`.
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [(name: String, value: String)]

        init(_ body: Substring) {
            var text = body.trimmingCharacters(in: " /\n\t")
            closing = body.hasPrefix("/")
            if closing { text = String(body.dropFirst()).trimmingCharacters(in: " \n\t") }
            let nameEnd = text.firstIndex(where: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "/" }) ?? text.endIndex
            name = text[..<nameEnd].lowercased()
            attributes = Self.attributes(in: text[nameEnd...])
        }

        /// `name="value"` pairs; cmark always writes double quotes.
        static func attributes(in text: Substring) -> [(name: String, value: String)] {
            var result: [(name: String, value: String)] = []
            var rest = text
            while let equals = rest.firstIndex(of: "=") {
                let name = rest[..<equals].trimmingCharacters(in: " \n\t/").lowercased()
                let afterEquals = rest[rest.index(after: equals)...]
                guard afterEquals.first == "\"", let end = afterEquals.dropFirst().firstIndex(of: "\"") else { break }
                result.append((name, String(afterEquals[afterEquals.index(after: afterEquals.startIndex)..<end])))
                rest = afterEquals[afterEquals.index(after: end)...]
            }
            return result
        }

        /// The tag with only the `kept` attributes, values as they were (already escaped).
        func rendered(keeping kept: Set<String>) -> String {
            if closing { return "</\(name)>" }
            let attributes = self.attributes.filter { kept.contains($0.name) }.map { " \($0.name)=\"\($0.value)\"" }.joined()
            return name == "br" ? "<br>" : "<\(name)\(attributes)>"
        }
    }
}
