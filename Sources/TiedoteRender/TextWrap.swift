/// Greedy word wrapping for lines of finished plain text (the text layout's own lines, and
/// lines that a spliced recipient string made too long).
enum TextWrap {
    /// `line` broken at spaces into lines of at most `width` characters (a longer word, such
    /// as a URL, stands alone); continuation lines keep the indentation, under a list item's
    /// text.
    static func line(_ line: Substring, width: Int) -> String {
        guard line.utf8.count > width, line.count > width else { return String(line) }
        let indent = String(line.prefix { $0 == " " || $0 == ">" })
        let body = line.dropFirst(indent.count)
        let continuation = indent + (body.hasPrefix("- ") ? "  " : "")
        var lines: [String] = []
        var current = ""
        for word in body.split(separator: " ") {
            if current.isEmpty {
                current = indent + word
            } else if current.count + 1 + word.count > width {
                lines.append(current)
                current = continuation + word
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// Every line of `text` wrapped.
    static func lines(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line($0, width: width) }
            .joined(separator: "\n")
    }
}
