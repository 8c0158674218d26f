/// Escaping for values merged into a template, by the kind of text they land in.
enum TemplateEscape {
    /// Replaces `&`, `<`, `>` and `"` with character references.
    static func html(_ text: String) -> String { text.markupEscaped }

    /// Backslash-escapes every ASCII punctuation character (CommonMark allows escaping any of
    /// them, and then shows them literally) and turns line breaks and tabs into spaces, so the
    /// value stays inside the line it was put in: no `#` heading, `-` list or `>` quote can start.
    static func markdown(_ text: String) -> String {
        // Every recipient's address, name and unsubscribe link pass through here on each send:
        // ASCII text (the usual case) is escaped byte by byte, the rest by Character.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return markdownASCII(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            if character.isNewline || character == "\t" {
                // One space per run: two before a line end would make a hard line break.
                if out.last != " " { out.append(" ") }
            } else if let ascii = character.asciiValue, isASCIIPunctuation(ascii) {
                out.append("\\")
                out.append(character)
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `markdown(_:)` for ASCII text, where every byte but CR LF is its own Character.
    private static func markdownASCII(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                if out.last != 0x20 { out.append(0x20) }
            case _ where isASCIIPunctuation(byte):
                out.append(0x5C)
                out.append(byte)
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `!` … `/`, `:` … `@`, `[` … `` ` ``, `{` … `~`: CommonMark's escapable characters.
    private static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte)
            || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}
