import TiedoteCore
import TiedoteRender

/// An event's description in the forms the targets want: the one place the exports reach
/// into the Markdown renderer.
enum EventText {
    /// The description as plain text, Markdown removed, paragraphs separated by a blank line,
    /// not wrapped (calendars wrap for themselves).
    static func plain(_ markdown: String) -> String {
        MarkdownDocument(markdown.replacingCRLF).plainText(width: nil).trimmingSpaces
    }

    /// The description as safe HTML (raw HTML in the source is not passed through).
    static func html(_ markdown: String) -> String {
        MarkdownDocument(markdown.replacingCRLF).html().trimmingSpaces
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
