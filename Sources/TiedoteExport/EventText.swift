import TiedoteCore

/// An event's description in the forms the targets want: the one place the exports reach
/// into the Markdown renderer.
enum EventText {
    /// The description as plain text, Markdown removed, paragraphs separated by a blank line,
    /// not wrapped (calendars wrap for themselves).
    static func plain(_ markdown: String) -> String {
        // TODO(render): MarkdownDocument(markdown).plainText(width: nil)
        markdown.trimmingSpaces
    }

    /// The description as safe HTML (raw HTML in the source is not passed through).
    static func html(_ markdown: String) -> String {
        // TODO(render): MarkdownDocument(markdown).html()
        markdown.trimmingSpaces.split(separator: "\n\n").map { "<p>\($0)</p>" }.joined(separator: "\n")
    }

    /// Line ends as `\n` only, so each target can write its own.
    static func unixLineEnds(_ text: String) -> String {
        text.replacingCRLF
    }
}

extension String {
    /// The text with CRLF and lone CR turned into LF.
    var replacingCRLF: String {
        var out = ""
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.unicodeScalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
