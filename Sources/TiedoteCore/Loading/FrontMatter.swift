/// A Markdown file that starts with YAML front matter between `---` lines.
struct FrontMatter {
    /// The parsed front matter.
    let yaml: YAMLValue
    /// The Markdown after the closing `---`.
    let body: String
    /// The file line on which the body's text starts (blank lines before it are trimmed from
    /// `body` but are lines of the file).
    let bodyLine: Int
    /// The column on `bodyLine` where the text starts (after the white space trimmed from it).
    let bodyColumn: Int

    /// Splits and parses `text` from `path`.
    init(parsing text: String, path: String) throws {
        // Swift reads CRLF as one Character, so split on line ends of either kind.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        guard lines.first?.trimmingSpaces == "---" else {
            throw Diagnostic.error(
                SourcePosition(path: path), "the file must start with a '---' line, then the front matter, then '---'")
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingSpaces == "---" }) else {
            throw Diagnostic.error(
                SourcePosition(path: path), "the front matter is not closed: add a '---' line after it")
        }
        let yamlText = lines[1..<close].joined(separator: "\n")
        yaml = try YAMLValue.parse(yamlText, path: path, firstLine: 2)
        body = lines[(close + 1)...].joined(separator: "\n").trimmingSpaces
        // `body` starts at the first line with text, as many lines down as were blank.
        let bodyLines = lines[(close + 1)...]
        let first = bodyLines.firstIndex { !$0.trimmingSpaces.isEmpty }
        bodyLine = (first ?? close + 1) + 1
        bodyColumn = first.map { bodyLines[$0].prefix { $0.isWhitespace }.count + 1 } ?? 1
    }
}
