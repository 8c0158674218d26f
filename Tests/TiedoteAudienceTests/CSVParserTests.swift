import Testing
import TiedoteTestSupport
@testable import TiedoteAudience
import TiedoteCore

/// The byte parser against the scalar-by-scalar reader it replaced (kept below, unchanged, as
/// the reference): the same records, lines, columns and errors for generated texts, whole or
/// in chunks of any size.
struct CSVParserTests {
    static func reference(_ text: String, separator: CSV.Separator) -> ChunkedListTests.Outcome<CSV.Record> {
        ChunkedListTests.csvOutcome { body in
            var reader = ReferenceCSV.Reader(separator: separator.scalar)
            for scalar in text.unicodeScalars {
                if let record = try reader.consume(scalar) { body(record) }
            }
            if let record = try reader.finish() { body(record) }
        }
    }

    @Test func generatedTextsParseAsBefore() {
        var random = SplitMix64(seed: 4180)
        let pieces = ["a", "b", "ä", "€", "𝄞", ",", ",", ";", "\"", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\t", "\u{FEFF}", "e\u{301}"]
        var failures = 0
        var records = 0
        for round in 0..<3_000 {
            let length = Int(random.next() % 30)
            let text = (0..<length).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let separator: CSV.Separator = round % 3 == 0 ? .semicolon : .comma
            let expected = Self.reference(text, separator: separator)
            let whole = ChunkedListTests.csvOutcome { body in try CSV.parse(text, separator: separator, body) }
            let size = Int(random.next() % 7) + 1
            let chunked = ChunkedListTests.csvOutcome { body in
                var parser = CSV.Parser(separator: separator)
                for chunk in ChunkedListTests.chunks(of: Array(text.utf8), size: size) {
                    try parser.parse(ArraySlice(chunk), body)
                }
                try parser.finish(body)
            }
            if whole != expected || chunked != expected {
                failures += 1
                if failures <= 5 { Issue.record("\(text.debugDescription) in chunks of \(size)") }
            }
            records += expected.items.count
        }
        #expect(failures == 0)
        #expect(records > 5_000)
    }
}

/// `CSV.Reader` as it was before the byte parser, word for word.
enum ReferenceCSV {
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

        mutating func consume(_ scalar: Unicode.Scalar) throws -> CSV.Record? {
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
                throw CSV.SyntaxError(
                    line: line, column: column,
                    message: "text after the closing quote of a field; put the whole field in quotes "
                        + "and double any quote inside it (\"\")")
            case .afterCR:
                return nil
            }
        }

        private mutating func unquoted(_ scalar: Unicode.Scalar) -> CSV.Record? {
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

        private mutating func endRecord(by scalar: Unicode.Scalar) -> CSV.Record {
            endField()
            let record = CSV.Record(fields: fields, line: recordLine, lines: fieldLines, columns: fieldColumns)
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

        mutating func finish() throws -> CSV.Record? {
            switch state {
            case .quoted:
                throw CSV.SyntaxError(
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
