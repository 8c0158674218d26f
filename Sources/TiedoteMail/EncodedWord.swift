/// Header text encoding: RFC 2047 Q-encoded words, quoted strings and folding.
enum EncodedWord {
    /// The longest header line written where the RFCs allow a choice (RFC 2047 §2: 76 when
    /// the line carries encoded words).
    static let lineLimit = 76
    private static let prefix = Array("=?utf-8?Q?".utf8)
    private static let suffix = Array("?=".utf8)

    /// Characters that may stand for themselves inside a Q-encoded word in any header
    /// position (RFC 2047 §5 (3)): letters, digits and `! * + - /`.
    @inline(__always) static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Appends `text` as a run of encoded words separated by folding whitespace.
    ///
    /// `column` is the length of the current line so far; each word ends before the line
    /// limit, and a UTF-8 character is never split between words. Returns the new column.
    @discardableResult
    static func appendEncoded(_ text: String, column: Int, to out: inout [UInt8]) -> Int {
        var text = text
        return text.withUTF8 { appendEncoded($0, column: column, to: &out) }
    }

    private static func appendEncoded(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, to out: inout [UInt8]) -> Int {
        out.reserveCapacity(out.count + 3 * bytes.count + 16 * (bytes.count / 20 + 1))
        var column = column
        var wordOpen = false
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            var length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if i + length > n { length = n - i }
            let width = length == 1 && (isQLiteral(lead) || lead == 32) ? 1 : 3 * length
            if wordOpen && column + width + suffix.count > lineLimit {
                out.append(contentsOf: suffix)
                out.append(contentsOf: [13, 10, 32])
                column = 1
                wordOpen = false
            }
            if !wordOpen {
                if column + prefix.count + width + suffix.count > lineLimit && column > 1 {
                    out.append(contentsOf: [13, 10, 32])
                    column = 1
                }
                out.append(contentsOf: prefix)
                column += prefix.count
                wordOpen = true
            }
            if width == 1 {
                out.append(lead == 32 ? UInt8(ascii: "_") : lead)
            } else {
                for k in i..<(i + length) {
                    out.append(UInt8(ascii: "="))
                    out.append(QuotedPrintable.hex(bytes[k] >> 4))
                    out.append(QuotedPrintable.hex(bytes[k] & 0x0F))
                }
            }
            column += width
            i += length
        }
        if wordOpen {
            out.append(contentsOf: suffix)
            column += suffix.count
        }
        return column
    }

    /// True when `text` can be written as it is in an unstructured header (printable ASCII
    /// that does not look like an encoded word).
    static func isPlainUnstructured(_ text: String) -> Bool {
        text.withBytes { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 32 || byte > 126 { return false }
                if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return false }
                previous = byte
            }
            return true
        }
    }

    /// Appends an unstructured value (Subject), folding plain ASCII at spaces and encoding
    /// anything else. Returns the new column.
    @discardableResult
    static func appendUnstructured(_ text: String, column: Int, to out: inout [UInt8]) -> Int {
        guard isPlainUnstructured(text) else { return appendEncoded(text, column: column, to: &out) }
        var column = column
        var first = true
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let count = word.utf8.count
            if !first {
                if column + 1 + count > 78 && column > 1 {
                    out.append(contentsOf: [13, 10, 32])
                    column = 1
                } else {
                    out.append(32)
                    column += 1
                }
            }
            out.append(contentsOf: word.utf8)
            column += count
            first = false
        }
        return column
    }

    /// Appends a display name as an atom phrase, a quoted string or encoded words.
    @discardableResult
    static func appendPhrase(_ text: String, column: Int, to out: inout [UInt8]) -> Int {
        let count = text.utf8.count
        // nil: not ASCII, so encoded words; otherwise whether a quoted string is needed.
        let quoting: Bool? = text.withBytes { bytes in
            var needsQuoting = false
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 32 || byte > 126 { return nil }
                if !(MailAddressText.isAtext(byte) || byte == 32) { needsQuoting = true }
                // Something that looks like an encoded word, or spaces a reader would fold away.
                if (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) || (previous == 32 && byte == 32) {
                    needsQuoting = true
                }
                previous = byte
            }
            if let first = bytes.first, first == 32 || previous == 32 { needsQuoting = true }
            return needsQuoting
        }
        guard let needsQuoting = quoting else { return appendEncoded(text, column: column, to: &out) }
        guard needsQuoting else {
            out.append(contentsOf: text.utf8)
            return column + count
        }
        var column = column + 2
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(UInt8(ascii: "\\"))
                column += 1
            }
            out.append(byte)
            column += 1
        }
        out.append(UInt8(ascii: "\""))
        return column
    }
}

/// Character classes of RFC 5322 addresses, shared by the encoder.
enum MailAddressText {
    /// `atext` of RFC 5322 §3.2.3.
    @inline(__always) static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#")...UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="),
            UInt8(ascii: "?"), UInt8(ascii: "^")...UInt8(ascii: "`"), UInt8(ascii: "{")...UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
