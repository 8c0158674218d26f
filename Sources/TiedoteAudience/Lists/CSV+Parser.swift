import TiedoteCore

extension CSV {
    /// Bytes that are not UTF-8: the first bad byte's place, for a message that points at it.
    struct InvalidUTF8: Error, Sendable, Hashable {
        /// Line of the character that is not UTF-8.
        var line: Int
        /// Column of that character, counting the characters before it.
        var column: Int

        /// Where the character is in `path`.
        func position(in path: String) -> SourcePosition {
            SourcePosition(path: path, line: line, column: column)
        }
    }

    /// A push parser over UTF-8 bytes: fed in chunks of any size (a chunk may end inside a
    /// character, a quoted field or a CRLF), it hands out each record as soon as it is complete.
    ///
    /// Every structural character (quote, separator, CR, LF) is ASCII, so the parser works on
    /// bytes and makes each field with one decoding of its bytes. The bytes are checked to be
    /// UTF-8 on the way; columns count characters (bytes that are not continuation bytes).
    struct Parser {
        private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

        private let separator: UInt8
        private var state = State.fieldStart
        private var line = 1
        /// The column of the byte being read, or of the next character after a continuation byte.
        private var column = 1
        private var previousWasCR = false
        private var field: [UInt8] = []
        private var fields: [String] = []
        private var fieldLines: [Int] = []
        private var fieldColumns: [Int] = []
        private var recordLine = 1
        private var openQuoteLine = 1
        private var openQuoteColumn = 1
        private var pendingCRInQuoted = false
        private var utf8 = UTF8Check()

        init(separator: Separator) {
            self.separator = separator.byte
            field.reserveCapacity(64)
        }

        /// Reads `bytes`, handing each record that they complete to `body`.
        mutating func parse(_ bytes: ArraySlice<UInt8>, _ body: (Record) throws -> Void) throws {
            var index = bytes.startIndex
            while index < bytes.endIndex {
                if state == .unquoted || state == .quoted {
                    index = try takeRun(of: bytes, from: index)
                    if index == bytes.endIndex { return }
                }
                let byte = bytes[index]
                if byte >= 0x80 || utf8.isInsideCharacter { try utf8.check(byte, line: line, column: column) }
                if try consume(byte) { try body(takeRecord()) }
                advance(over: byte)
                index += 1
            }
        }

        /// Inside a field, takes the bytes from `start` up to the next one that can end it (or
        /// a line break) in one go, as `consume` and `advance` would one by one; returns where
        /// it stopped.
        private mutating func takeRun(of bytes: ArraySlice<UInt8>, from start: Int) throws -> Int {
            let end = state == .quoted ? UInt8.quote : separator
            var index = start
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == end || byte == .lineFeed || byte == .carriageReturn { break }
                if byte >= 0x80 || utf8.isInsideCharacter { try utf8.check(byte, line: line, column: column) }
                if byte & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            if index > start {
                field.append(contentsOf: bytes[start..<index])
                previousWasCR = false
                pendingCRInQuoted = false
            }
            return index
        }

        /// Ends the input: hands out the last record when no line break ends it, or throws
        /// when a quoted field or a character is left open.
        mutating func finish(_ body: (Record) throws -> Void) throws {
            try utf8.finish()
            switch state {
            case .quoted:
                throw SyntaxError(
                    line: openQuoteLine, column: openQuoteColumn,
                    message: "this quoted field is never closed; add the missing closing quote (\")")
            case .afterCR:
                return
            case .fieldStart where fields.isEmpty && fieldLines.isEmpty:
                return
            case .fieldStart:
                markFieldStart()
                endRecord(byCR: false)
            case .unquoted, .quoteInQuoted:
                endRecord(byCR: false)
            }
            try body(takeRecord())
        }

        /// Takes in one byte; true when it completed a record.
        private mutating func consume(_ byte: UInt8) throws -> Bool {
            if state == .afterCR {
                state = .fieldStart
                if byte == .lineFeed { return false }
            }
            switch state {
            case .fieldStart:
                markFieldStart()
                if byte == .quote {
                    state = .quoted
                    openQuoteLine = line
                    openQuoteColumn = column
                    return false
                }
                state = .unquoted
                return unquoted(byte)
            case .unquoted:
                return unquoted(byte)
            case .quoted:
                if byte == .quote {
                    state = .quoteInQuoted
                } else if byte == .carriageReturn {
                    // A line break inside a field is LF, whatever the file's line ends are.
                    field.append(.lineFeed)
                    pendingCRInQuoted = true
                    return false
                } else if !(byte == .lineFeed && pendingCRInQuoted) {
                    field.append(byte)
                }
                pendingCRInQuoted = false
                return false
            case .quoteInQuoted:
                if byte == .quote {
                    field.append(.quote)
                    state = .quoted
                    return false
                }
                if let recordEnded = end(at: byte) { return recordEnded }
                throw SyntaxError(
                    line: line, column: column,
                    message: "text after the closing quote of a field; put the whole field in quotes "
                        + "and double any quote inside it (\"\")")
            case .afterCR:
                return false
            }
        }

        private mutating func unquoted(_ byte: UInt8) -> Bool {
            if let recordEnded = end(at: byte) { return recordEnded }
            field.append(byte)
            return false
        }

        /// Ends the field at a separator, or the record at a line break: whether a record
        /// ended, or nil for any other byte.
        private mutating func end(at byte: UInt8) -> Bool? {
            if byte == separator {
                endField()
                state = .fieldStart
                return false
            }
            if byte == .lineFeed || byte == .carriageReturn {
                endRecord(byCR: byte == .carriageReturn)
                return true
            }
            return nil
        }

        private mutating func markFieldStart() {
            if fields.isEmpty && fieldLines.isEmpty { recordLine = line }
            fieldLines.append(line)
            fieldColumns.append(column)
        }

        private mutating func endField() {
            // Checked byte by byte above, so decoding repairs nothing.
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        private mutating func endRecord(byCR: Bool) {
            endField()
            state = byCR ? .afterCR : .fieldStart
        }

        /// The record just ended, leaving room for the next one.
        private mutating func takeRecord() -> Record {
            let width = fields.count
            let record = Record(fields: fields, line: recordLine, lines: fieldLines, columns: fieldColumns)
            fields = []
            fields.reserveCapacity(width)
            fieldLines = []
            fieldLines.reserveCapacity(width)
            fieldColumns = []
            fieldColumns.reserveCapacity(width)
            return record
        }

        private mutating func advance(over byte: UInt8) {
            if byte == .lineFeed {
                if !previousWasCR { line += 1 }
                column = 1
                previousWasCR = false
            } else if byte == .carriageReturn {
                line += 1
                column = 1
                previousWasCR = true
            } else {
                if byte & 0xC0 != 0x80 { column += 1 }
                previousWasCR = false
            }
        }
    }

    /// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), one
    /// byte at a time, remembering where the character being read started.
    struct UTF8Check {
        private var remaining = 0
        private var lower: UInt8 = 0x80
        private var upper: UInt8 = 0xBF
        private var line = 1
        private var column = 1

        /// True between the first and the last byte of a multi-byte character.
        var isInsideCharacter: Bool { remaining > 0 }

        /// Takes in `byte`, found at `line` and `column`; ASCII needs no call outside a character.
        mutating func check(_ byte: UInt8, line: Int, column: Int) throws {
            if remaining > 0 {
                guard byte >= lower && byte <= upper else {
                    throw InvalidUTF8(line: self.line, column: self.column)
                }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
                return
            }
            self.line = line
            self.column = column
            switch byte {
            case 0x00...0x7F: return
            case 0xC2...0xDF: remaining = 1
            case 0xE0: (remaining, lower) = (2, 0xA0)
            case 0xED: (remaining, upper) = (2, 0x9F)
            case 0xE1...0xEF: remaining = 2
            case 0xF0: (remaining, lower) = (3, 0x90)
            case 0xF4: (remaining, upper) = (3, 0x8F)
            case 0xF1...0xF3: remaining = 3
            default: throw InvalidUTF8(line: line, column: column)
            }
        }

        /// Throws when the input ended inside a character.
        func finish() throws {
            if remaining > 0 { throw InvalidUTF8(line: line, column: column) }
        }
    }
}

extension UInt8 {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
}
