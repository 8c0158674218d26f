import TiedoteCore

/// Reading CSV: records with their positions, streamed, and the header's separator.
extension CSV {
    /// One record with where it stands in the text.
    public struct Record: Sendable, Hashable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The 1-based line the record starts on.
        public var line: Int
        /// The 1-based line each field starts on (a quoted field may span lines).
        public var lines: [Int]
        /// The 1-based column each field starts at, in characters.
        public var columns: [Int]

        /// Creates a record.
        public init(fields: [String], line: Int, lines: [Int]? = nil, columns: [Int]? = nil) {
            self.fields = fields
            self.line = line
            self.lines = lines ?? Array(repeating: line, count: fields.count)
            self.columns = columns ?? Array(repeating: 1, count: fields.count)
        }

        /// True for a blank line, or a row of empty cells as spreadsheets save them (`;;;`).
        public var isBlank: Bool { fields.allSatisfy { $0.trimmingSpaces.isEmpty } }

        /// Where field `index` starts in `path`; the record's start for a missing field.
        public func position(of index: Int, in path: String) -> SourcePosition {
            guard index >= 0, index < fields.count else { return SourcePosition(path: path, line: line) }
            return SourcePosition(path: path, line: lines[index], column: columns[index])
        }
    }

    /// Malformed quoting: the one thing that stops reading a file.
    public struct SyntaxError: Error, Sendable, Hashable {
        /// Line of the problem.
        public var line: Int
        /// Column of the problem.
        public var column: Int
        /// What is wrong and what to do.
        public var message: String

        /// Creates a syntax error.
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        /// The error as a diagnostic in `path`.
        public func diagnostic(in path: String) -> Diagnostic {
            .error(SourcePosition(path: path, line: line, column: column), message)
        }
    }

    /// Parses `text` and hands each record to `body` as soon as it is complete, so large lists
    /// are never held twice in memory.
    public static func parse(
        _ text: String, separator: Separator, _ body: (Record) throws -> Void
    ) throws {
        var parser = Parser(separator: separator)
        // In pieces, so a large file's text is never copied whole.
        let bytes = text.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes.index(start, offsetBy: 65_536, limitedBy: bytes.endIndex) ?? bytes.endIndex
            try parser.parse(Array(bytes[start..<end])[...], body)
            start = end
        }
        try parser.finish(body)
    }

    /// Parses `text` into all its records.
    public static func records(_ text: String, separator: Separator) throws -> [Record] {
        var result: [Record] = []
        try parse(text, separator: separator) { result.append($0) }
        return result
    }

    /// The separator a header line uses: the most frequent of `;`, `,` and tab outside quotes;
    /// `,` when there is none (a one-column file).
    public static func detectSeparator(in text: String) -> Separator {
        var header = HeaderSeparators()
        _ = header.scan(text.utf8)
        return header.separator
    }
}

extension CSV {
    /// Counts the candidate separators of a header line fed in chunks of bytes, up to its
    /// first line break outside quotes.
    struct HeaderSeparators {
        private var comma = 0
        private var semicolon = 0
        private var tab = 0
        private var quoted = false

        /// Counts in `bytes`, which must follow those counted before; the offset of the line
        /// break that ends the header, or nil when it does not end in them.
        mutating func scan(_ bytes: some Sequence<UInt8>) -> Int? {
            for (offset, byte) in bytes.enumerated() {
                if byte == .quote { quoted.toggle(); continue }
                if quoted { continue }
                switch byte {
                case .lineFeed, .carriageReturn: return offset
                case Separator.comma.byte: comma += 1
                case Separator.semicolon.byte: semicolon += 1
                case Separator.tab.byte: tab += 1
                default: break
                }
            }
            return nil
        }

        /// The most frequent separator so far (`;` before tab before `,` on a tie); `,` for none.
        var separator: Separator {
            let best = [(Separator.semicolon, semicolon), (.tab, tab), (.comma, comma)].max { $0.1 < $1.1 }
            guard let best, best.1 > 0 else { return .comma }
            return best.0
        }
    }
}
