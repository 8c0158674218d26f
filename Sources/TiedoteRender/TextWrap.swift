/// Greedy word wrapping for lines of finished plain text (the text layout's own lines, and
/// lines that a spliced recipient string made too long).
enum TextWrap {
    /// `line` broken at spaces into lines of at most `width` characters (a longer word, such
    /// as a URL, stands alone); continuation lines keep the indentation, under a list item's
    /// text. A line that fits comes back as it is; one that does not also has its runs of
    /// spaces made single.
    ///
    /// Every recipient's longest lines pass through here on each send, so it is one pass over
    /// the words, counting each word's characters once (a word of printable ASCII by its bytes).
    static func line(_ line: Substring, width: Int) -> String {
        guard line.utf8.count > width else { return String(line) }
        let indent = line.prefix { $0 == " " || $0 == ">" }
        let body = line[indent.endIndex...]
        // The indentation is single-byte characters.
        let continuation = indent + (body.hasPrefix("- ") ? "  " : "")
        var out = ""
        out.reserveCapacity(line.utf8.count + 16)
        var column = 0
        var characters = indent.utf8.count
        var wordBytes = 0
        for word in words(body) {
            let count = word.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } ? word.utf8.count : word.count
            characters += count
            wordBytes += word.utf8.count
            if out.isEmpty {
                out += indent
                out += word
                column = indent.utf8.count + count
            } else if column + 1 + count > width {
                out += "\n"
                out += continuation
                out += word
                column = continuation.utf8.count + count
            } else {
                out += " "
                out += word
                column += 1 + count
            }
        }
        // Every byte of the body outside the words is a space, one character each.
        characters += body.utf8.count - wordBytes
        return characters > width ? out : String(line)
    }

    /// The words of `text` between spaces, as `split(separator: " ")` finds them: cut at space
    /// bytes, which is the same wherever every space is a character of its own; a space with a
    /// combining mark after it or a prepended mark before it (checked only next to non-ASCII
    /// bytes) sends the text to the character-by-character split.
    static func words(_ text: Substring) -> [Substring] {
        let bytes = text.utf8
        let space = UInt8(ascii: " ")
        var words: [Substring] = []
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == space {
                let joinsBefore = index > bytes.startIndex && bytes[bytes.index(before: index)] >= 0x80
                    && !breaks(text.unicodeScalars[text.unicodeScalars.index(before: index)], " ")
                let joinsAfter = next < bytes.endIndex && bytes[next] >= 0x80 && !breaks(" ", text.unicodeScalars[next])
                if joinsBefore || joinsAfter { return text.split(separator: " ") }
                if start < index { words.append(text[start..<index]) }
                start = next
            }
            index = next
        }
        if start < bytes.endIndex { words.append(text[start...]) }
        return words
    }

    /// Whether characters break between `first` and `second`.
    private static func breaks(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
        var pair = String.UnicodeScalarView()
        pair.append(first)
        pair.append(second)
        return String(pair).count == 2
    }

    /// Every line of `text` wrapped.
    static func lines(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line($0, width: width) }
            .joined(separator: "\n")
    }
}
