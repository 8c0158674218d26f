/// Writes a Markdown tree as HTML the way cmark's own renderer does (so unstyled output
/// matches it), minus raw HTML and unsafe links, optionally with inline styles.
struct HTMLRenderer {
    /// The HTML written so far.
    private(set) var output = ""
    private let styles: HTMLStyles

    init(styles: HTMLStyles) { self.styles = styles }

    mutating func render(_ blocks: [MarkdownBlock]) {
        for block in blocks { render(block, tight: false) }
    }

    /// Starts a new line unless already at the start of one, as cmark's `cr()` does.
    private mutating func cr() {
        if let last = output.last, last != "\n" { output += "\n" }
    }

    private mutating func render(_ block: MarkdownBlock, tight: Bool) {
        switch block {
        case .paragraph(let inlines):
            if tight {
                render(inlines)
            } else {
                cr()
                output += "<p\(styles.attribute(.paragraph))>"
                render(inlines)
                output += "</p>\n"
            }
        case .heading(let level, let inlines):
            let tag = "h\(min(max(level, 1), 6))"
            cr()
            output += "<\(tag)\(styles.attribute(.heading(level)))>"
            render(inlines)
            output += "</\(tag)>\n"
        case .blockQuote(let blocks):
            cr()
            output += "<blockquote\(styles.attribute(.blockQuote))>\n"
            for child in blocks { render(child, tight: false) }
            cr()
            output += "</blockquote>\n"
        case .list(let list):
            render(list)
        case .codeBlock(let info, let literal):
            cr()
            output += "<pre\(styles.attribute(.codeBlock))><code"
            let language = info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            if !language.isEmpty { output += " class=\"language-\(language.markupEscaped)\"" }
            output += ">\(literal.markupEscaped)</code></pre>\n"
        case .html:
            // Raw HTML in event text or editorial text never reaches a mail client.
            break
        case .thematicBreak:
            cr()
            output += "<hr\(styles.attribute(.thematicBreak)) />\n"
        }
    }

    private mutating func render(_ list: MarkdownList) {
        let tag = list.ordered ? "ol" : "ul"
        cr()
        output += "<\(tag)"
        if list.ordered && list.start != 1 { output += " start=\"\(list.start)\"" }
        output += "\(styles.attribute(list.ordered ? .orderedList : .bulletList))>\n"
        for item in list.items {
            cr()
            output += "<li\(styles.attribute(.listItem))>"
            for child in item { render(child, tight: list.tight) }
            output += "</li>\n"
        }
        cr()
        output += "</\(tag)>\n"
    }

    private mutating func render(_ inlines: [MarkdownInline]) {
        for inline in inlines { render(inline) }
    }

    private mutating func render(_ inline: MarkdownInline) {
        switch inline {
        case .text(let text):
            output += text.markupEscaped
        case .softBreak:
            output += "\n"
        case .lineBreak:
            output += "<br />\n"
        case .code(let code):
            output += "<code\(styles.attribute(.code))>\(code.markupEscaped)</code>"
        case .html:
            break
        case .emphasis(let children):
            output += "<em>"
            render(children)
            output += "</em>"
        case .strong(let children):
            output += "<strong>"
            render(children)
            output += "</strong>"
        case .link(let url, let title, let children):
            // An unsafe link keeps its text and loses only the link.
            guard LinkSafety.isSafe(url, isImage: false) else { return render(children) }
            output += "<a href=\"\(HTMLText.escapeHref(url))\""
            if !title.isEmpty { output += " title=\"\(title.markupEscaped)\"" }
            output += "\(styles.attribute(.link))>"
            render(children)
            output += "</a>"
        case .image(let url, let title, let children):
            let alt = MarkdownInline.plainContent(children)
            guard LinkSafety.isSafe(url, isImage: true) else {
                output += alt.markupEscaped
                return
            }
            output += "<img src=\"\(HTMLText.escapeHref(url))\" alt=\"\(alt.markupEscaped)\""
            if !title.isEmpty { output += " title=\"\(title.markupEscaped)\"" }
            output += "\(styles.attribute(.image)) />"
        }
    }
}

/// Escaping for text and URLs in HTML, byte for byte what cmark does.
enum HTMLText {
    /// Percent-encodes a URL for an `href`/`src` attribute, keeping characters that are
    /// already safe there (cmark's `houdini_escape_href`).
    static func escapeHref(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            default:
                if hrefSafe(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let hex = Array("0123456789ABCDEF")
                    out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
                }
            }
        }
        return out
    }

    private static func hrefSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("-_.+!*(),%#@?=;:/,$~[]".utf8).contains(byte)
        }
    }
}
