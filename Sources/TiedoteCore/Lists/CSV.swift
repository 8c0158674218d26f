/// RFC 4180 comma-separated values, as spreadsheets write them: quoted fields may hold the
/// separator, doubled quotes and line breaks; records end with CRLF, LF or a lone CR.
public enum CSV {
    /// The character between fields.
    public enum Separator: Character, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// `,` — Google Sheets, LibreOffice, English Excel.
        case comma = ","
        /// `;` — Finnish (and most European) Excel, where the comma is the decimal mark.
        case semicolon = ";"
        /// Tab — Excel's "Unicode text".
        case tab = "\t"

        /// `','`, `';'` or `tab`, for messages.
        public var description: String {
            self == .tab ? "tab" : "'\(rawValue)'"
        }

        var scalar: Unicode.Scalar {
            switch self {
            case .comma: ","
            case .semicolon: ";"
            case .tab: "\t"
            }
        }
    }

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
        var reader = Reader(separator: separator.scalar)
        for scalar in text.unicodeScalars {
            if let record = try reader.consume(scalar) { try body(record) }
        }
        if let record = try reader.finish() { try body(record) }
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
        var counts: [Separator: Int] = [:]
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); continue }
            if quoted { continue }
            if character == "\n" || character == "\r" || character == "\r\n" { break }
            if let separator = Separator(rawValue: character) { counts[separator, default: 0] += 1 }
        }
        let order: [Separator] = [.semicolon, .tab, .comma]
        let best = order.max { counts[$0, default: 0] < counts[$1, default: 0] }
        guard let best, counts[best, default: 0] > 0 else { return .comma }
        return best
    }
}

extension CSV {
    /// A push parser: one scalar in, at most one finished record out.
    struct Reader {
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

        let separator: Unicode.Scalar
        var state = State.fieldStart
        var line = 1
        var column = 1
        var field = String.UnicodeScalarView()
        var fields: [String] = []
        var fieldLines: [Int] = []
        var fieldColumns: [Int] = []
        var recordLine = 1
        var openQuoteLine = 1
        var openQuoteColumn = 1
        var pendingCRInQuoted = false
        var previousWasCR = false

        init(separator: Unicode.Scalar) { self.separator = separator }

        mutating func consume(_ scalar: Unicode.Scalar) throws -> Record? {
            defer { advance(over: scalar) }
            if state == .afterCR {
                state = .fieldStart
                if scalar == "\n" { return nil }
            }
            switch state {
            case .fieldStart:
                markFieldStart()
                if scalar == "\"" {
                    state = .quoted
                    openQuoteLine = line
                    openQuoteColumn = column
                    return nil
                }
                state = .unquoted
                return unquoted(scalar)
            case .unquoted:
                return unquoted(scalar)
            case .quoted:
                if scalar == "\"" {
                    state = .quoteInQuoted
                } else if scalar == "\r" {
                    field.append("\n")
                    pendingCRInQuoted = true
                    return nil
                } else if !(scalar == "\n" && pendingCRInQuoted) {
                    field.append(scalar)
                }
                pendingCRInQuoted = false
                return nil
            case .quoteInQuoted:
                if scalar == "\"" {
                    field.append("\"")
                    state = .quoted
                    return nil
                }
                if scalar == separator {
                    endField()
                    state = .fieldStart
                    return nil
                }
                if scalar == "\n" || scalar == "\r" { return endRecord(by: scalar) }
                throw SyntaxError(
                    line: line, column: column,
                    message: "text after the closing quote of a field; put the whole field in quotes "
                        + "and double any quote inside it (\"\")")
            case .afterCR:
                return nil
            }
        }

        private mutating func unquoted(_ scalar: Unicode.Scalar) -> Record? {
            if scalar == separator {
                endField()
                state = .fieldStart
                return nil
            }
            if scalar == "\n" || scalar == "\r" { return endRecord(by: scalar) }
            field.append(scalar)
            return nil
        }

        private mutating func markFieldStart() {
            if fields.isEmpty && fieldLines.isEmpty { recordLine = line }
            fieldLines.append(line)
            fieldColumns.append(column)
        }

        private mutating func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
        }

        private mutating func endRecord(by scalar: Unicode.Scalar) -> Record {
            endField()
            let record = Record(fields: fields, line: recordLine, lines: fieldLines, columns: fieldColumns)
            fields = []
            fieldLines = []
            fieldColumns = []
            state = scalar == "\r" ? .afterCR : .fieldStart
            return record
        }

        private mutating func advance(over scalar: Unicode.Scalar) {
            if scalar == "\n" {
                if !previousWasCR { line += 1 }
                column = 1
                previousWasCR = false
            } else if scalar == "\r" {
                line += 1
                column = 1
                previousWasCR = true
            } else {
                column += 1
                previousWasCR = false
            }
        }

        mutating func finish() throws -> Record? {
            switch state {
            case .quoted:
                throw SyntaxError(
                    line: openQuoteLine, column: openQuoteColumn,
                    message: "this quoted field is never closed; add the missing closing quote (\")")
            case .afterCR:
                return nil
            case .fieldStart where fields.isEmpty && fieldLines.isEmpty:
                return nil
            case .fieldStart:
                markFieldStart()
                return endRecord(by: "\n")
            case .unquoted, .quoteInQuoted:
                return endRecord(by: "\n")
            }
        }
    }
}
