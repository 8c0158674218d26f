/// Header text classes: what may be written as it is, quoted, or only as RFC 2047 encoded words.
enum EncodedWord {
    /// The longest line that carries encoded words (RFC 2047 §2: 76), so that no encoded word,
    /// even on a folded line of its own, passes 75 characters.
    static let lineLimit = 76
    static let prefix: StaticString = "=?utf-8?Q?"
    static let suffix: StaticString = "?="
    static let prefixB: StaticString = "=?utf-8?B?"
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// True when `text` is shorter in base64 than in Q encoding.
    static func base64IsShorter(_ text: String) -> Bool {
        text.withBytes { bytes in
            var q = 0
            for byte in bytes { q += byte < 128 && (isQLiteral(byte) || byte == 32) ? 1 : 3 }
            return (bytes.count + 2) / 3 * 4 < q
        }
    }

    /// Hands each base64 character of `bytes` (with `=` padding) to `put`.
    static func appendBase64<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ put: (UInt8) -> Void)
    where Bytes.Index == Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let count = min(3, bytes.endIndex - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                put(position <= count ? base64Alphabet[Int(group >> (18 - 6 * position) & 0x3F)] : UInt8(ascii: "="))
            }
            index += count
        }
    }

    /// The widest run of text without a space written as it is. Anything wider has nowhere to
    /// fold, so it is encoded: encoded words can be split between any two characters.
    /// (A folded line holds the fold's space, the run and, in a phrase, two quotes.)
    static let widestWord = HeaderWriter.softLimit - 3

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

    /// How a display name (a phrase, RFC 5322 §3.2.5) is written.
    enum PhraseForm: Equatable {
        /// Atoms separated by single spaces, as written.
        case atoms
        /// A quoted string: the text has specials, or spaces a reader would fold away.
        case quoted
        /// Atoms for the words that can stand as they are, encoded words for runs of the
        /// others (not printable ASCII, specials, a run too wide to fold, or text that looks
        /// like an encoded word itself, which a reader would decode): fewer encoded words
        /// side by side, whose joins readers do not all agree on.
        case mixed
        /// Encoded words for the whole text (it has control characters, or spaces that only
        /// an encoded word keeps: leading, trailing or doubled, besides text that needs encoding).
        case encoded
    }

    /// The form `text` must take as a phrase.
    static func phraseForm(_ text: String) -> PhraseForm {
        text.withBytes { bytes in
            var quoted = false
            var encoded = false
            var oddSpaces = false
            var previous = UInt8(ascii: " ")
            var run = 0
            var spaces = 0
            for byte in bytes {
                if byte < 32 || byte == 127 { return .encoded }
                if byte > 127 || (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) { encoded = true }
                if byte == UInt8(ascii: " ") {
                    // A long run of spaces has no place to fold either.
                    if previous == byte {
                        oddSpaces = true
                        spaces += 1
                        if spaces > widestWord { return .encoded }
                    } else {
                        spaces = 1
                    }
                    run = 0
                } else {
                    if byte < 128 && !MailAddressText.isAtext(byte) { quoted = true }
                    run += byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? 2 : 1
                    if run > widestWord { encoded = true }
                }
                previous = byte
            }
            if previous == UInt8(ascii: " ") { oddSpaces = true }
            guard encoded else { return quoted || oddSpaces ? .quoted : .atoms }
            return oddSpaces ? .encoded : .mixed
        }
    }

    /// True when a word of a mixed phrase can stand as an atom.
    static func isPlainWord(_ word: Substring.UTF8View) -> Bool {
        guard word.count <= widestWord else { return false }
        var previous: UInt8 = 0
        for byte in word {
            if !MailAddressText.isAtext(byte) || (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) { return false }
            previous = byte
        }
        return true
    }

    /// True when `text` can be written as it is in an unstructured header (printable ASCII
    /// that does not look like an encoded word, with no run too wide to fold).
    static func isPlainUnstructured(_ text: String) -> Bool {
        text.withBytes { bytes in
            var previous: UInt8 = 0
            var run = 0
            var spaces = 0
            for byte in bytes {
                if byte < 32 || byte > 126 { return false }
                if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return false }
                run = byte == UInt8(ascii: " ") ? 0 : run + 1
                spaces = byte == UInt8(ascii: " ") ? spaces + 1 : 0
                if run > widestWord || spaces > widestWord { return false }
                previous = byte
            }
            return true
        }
    }
}

extension HeaderWriter {
    /// A display name: atoms, a quoted string or encoded words, folded at its spaces.
    mutating func phrase(_ text: String) {
        switch EncodedWord.phraseForm(text) {
        case .atoms: words(text, quoted: false)
        case .quoted: words(text, quoted: true)
        case .mixed: mixedWords(text)
        case .encoded: encodedWords(text, compact: true)
        }
    }

    /// Atoms as they are; each run of words that cannot be atoms as encoded words (with their
    /// inner spaces inside), so that a space between an atom and an encoded word is plain
    /// folding white space that every reader shows.
    private mutating func mixedWords(_ text: String) {
        let words = text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        var index = 0
        while index < words.count {
            if EncodedWord.isPlainWord(words[index]) {
                space(before: words[index].count)
                for byte in words[index] { append(byte) }
                index += 1
                continue
            }
            var end = index + 1
            while end < words.count && !EncodedWord.isPlainWord(words[end]) { end += 1 }
            let run = text.utf8[words[index].startIndex..<words[end - 1].endIndex]
            encodedWords(String(Substring(run)), compact: true)
            index = end
        }
    }

    /// An unstructured value (Subject): plain ASCII folded at spaces, anything else encoded.
    mutating func unstructured(_ text: String) {
        if EncodedWord.isPlainUnstructured(text) {
            words(text, quoted: false)
        } else {
            encodedWords(text, compact: false)
        }
    }

    /// `text` split at its spaces, each word after a space that may fold; in a quoted string,
    /// the quotes stay with the first and last word and `"` and `\` are escaped.
    private mutating func words(_ text: String, quoted: Bool) {
        let pieces = text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        let last = pieces.count - 1
        for (index, piece) in pieces.enumerated() {
            var width = piece.count
            if quoted {
                width += piece.reduce(0) { $0 + ($1 == UInt8(ascii: "\"") || $1 == UInt8(ascii: "\\") ? 1 : 0) }
                if index == 0 { width += 1 }
                if index == last { width += 1 }
            }
            // An empty piece is one more space of a run: folding there could leave a line
            // of white space only, so the fold waits for the next word.
            if piece.isEmpty && index > 0 && index < last {
                plainSpace()
                continue
            }
            // The extra spaces that follow stay on this line too.
            var next = index + 1
            while next < last && pieces[next].isEmpty { next += 1 }
            space(before: width + next - index - 1)
            if quoted && index == 0 { append(UInt8(ascii: "\"")) }
            for byte in piece {
                if quoted && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")) { append(UInt8(ascii: "\\")) }
                append(byte)
            }
            if quoted && index == last { append(UInt8(ascii: "\"")) }
        }
    }

    /// `text` as a run of encoded words separated by folding white space (which a reader
    /// drops between encoded words, RFC 2047 §6.2). Each word ends before
    /// `EncodedWord.lineLimit`, and a UTF-8 character is never split between words.
    /// `compact` picks base64 ("B") when it is shorter than quoted-printable ("Q"): fewer
    /// words, and fewer joins between them.
    mutating func encodedWords(_ text: String, compact: Bool) {
        if compact && EncodedWord.base64IsShorter(text) {
            base64Words(text)
            return
        }
        text.withBytes { bytes in
            var wordOpen = false
            var started = false
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                var length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                if index + length > bytes.count { length = bytes.count - index }
                let width = length == 1 && (EncodedWord.isQLiteral(lead) || lead == 32) ? 1 : 3 * length
                let frame = EncodedWord.prefix.utf8CodeUnitCount + EncodedWord.suffix.utf8CodeUnitCount
                if wordOpen && column + width + EncodedWord.suffix.utf8CodeUnitCount > EncodedWord.lineLimit {
                    append(EncodedWord.suffix)
                    wordOpen = false
                    breakLine()
                    append(UInt8(ascii: " "))
                }
                if !wordOpen {
                    if !started {
                        space(before: frame + width, limit: EncodedWord.lineLimit)
                        started = true
                    }
                    append(EncodedWord.prefix)
                    wordOpen = true
                }
                if width == 1 {
                    append(lead == 32 ? UInt8(ascii: "_") : lead)
                } else {
                    for byte in bytes[index..<(index + length)] {
                        append(UInt8(ascii: "="))
                        append(QuotedPrintable.hex(byte >> 4))
                        append(QuotedPrintable.hex(byte & 0x0F))
                    }
                }
                index += length
            }
            if wordOpen { append(EncodedWord.suffix) }
        }
    }
}

extension HeaderWriter {
    /// `text` as B-encoded words: each as many whole characters as fit on the line, at most
    /// 45 bytes (60 base64 characters, a 72-character word).
    private mutating func base64Words(_ text: String) {
        let frame = EncodedWord.prefixB.utf8CodeUnitCount + EncodedWord.suffix.utf8CodeUnitCount
        text.withBytes { bytes in
            var start = 0
            while start < bytes.count {
                var room = (EncodedWord.lineLimit - column - 1 - frame) / 4 * 3
                if room < 3 { room = 45 }
                var end = min(bytes.count, start + min(room, 45))
                // Never split a UTF-8 character: back off continuation bytes.
                while end < bytes.count && end > start + 1 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
                let width = frame + (end - start + 2) / 3 * 4
                space(before: width, limit: EncodedWord.lineLimit)
                append(EncodedWord.prefixB)
                EncodedWord.appendBase64(bytes[start..<end]) { append($0) }
                append(EncodedWord.suffix)
                start = end
            }
        }
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
