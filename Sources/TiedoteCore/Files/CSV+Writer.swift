extension CSV {
    /// One record as a line of text (without the line end), quoting only the fields that need
    /// it: those holding the separator, a quote, a line break, or space at either end.
    public static func line(_ fields: [String], separator: Separator = .comma) -> String {
        fields.map { quoted($0, separator: separator) }.joined(separator: String(separator.rawValue))
    }

    /// Records as text, each line ended by `lineEnd` (`"\n"` or `"\r\n"`).
    public static func text(
        _ records: [[String]], separator: Separator = .comma, lineEnd: String = "\n"
    ) -> String {
        records.map { line($0, separator: separator) + lineEnd }.joined()
    }

    /// `field` as it must stand in a file.
    public static func quoted(_ field: String, separator: Separator) -> String {
        let needsQuotes = field.unicodeScalars.contains {
            $0 == separator.scalar || $0 == "\"" || $0 == "\n" || $0 == "\r"
        } || field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes else { return field }
        let doubled = field.replacingAll("\"", with: "\"\"")
        return "\"\(doubled)\""
    }
}

extension String {
    /// The text with every `target` replaced by `replacement` (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
