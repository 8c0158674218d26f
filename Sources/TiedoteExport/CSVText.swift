/// CSV as Finnish Excel opens it: `;` between fields, CRLF after each row, UTF-8 with a BOM.
enum CSVText {
    /// The byte order mark that tells Excel the file is UTF-8.
    static let byteOrderMark = "\u{FEFF}"

    /// One row, quoted where needed, ending in CRLF.
    static func row(_ fields: [String], separator: Character = ";") -> String {
        fields.map { quoted($0, separator: separator) }.joined(separator: String(separator)) + "\r\n"
    }

    /// The field in double quotes (inner quotes doubled) when it holds the separator, a quote,
    /// a line break, or space at either end; otherwise as is.
    static func quoted(_ field: String, separator: Character) -> String {
        let needsQuotes = field.contains { $0 == separator || $0 == "\"" || $0.isNewline }
            || field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
