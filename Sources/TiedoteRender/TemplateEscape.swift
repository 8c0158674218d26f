/// Escaping for values merged into a template, by the kind of text they land in.
enum TemplateEscape {
    /// Replaces `&`, `<`, `>` and `"` with character references.
    static func html(_ text: String) -> String { text.markupEscaped }

    /// Backslash-escapes every ASCII punctuation character (CommonMark allows escaping any of
    /// them, and then shows them literally) and turns line breaks and tabs into spaces, so the
    /// value stays inside the line it was put in: no `#` heading, `-` list or `>` quote can start.
    static func markdown(_ text: String) -> String {
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

    /// `!` … `/`, `:` … `@`, `[` … `` ` ``, `{` … `~`: CommonMark's escapable characters.
    private static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte)
            || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}
