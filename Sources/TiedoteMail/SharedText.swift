/// Text that many messages share, such as the fixed runs of a newsletter variant between the
/// recipient's own strings, quoted-printable encoded once for all of them.
///
/// After a line break the encoder is back at column 0 and never looks behind it, and nothing
/// after a line break changes how the bytes before it encode. So the whole lines of a run
/// encode the same wherever the run stands, and only its first line (which may go on from the
/// text before the run) and its unfinished last line (which the text after it goes on) are
/// encoded with each message's neighbouring text (`QuotedPrintable.encode(_:into:)` for a
/// `BodyText`). The result is byte for byte the encoding of the joined text.
public struct SharedText: Sendable, Hashable {
    /// The text (its storage shared with the caller's copy, not duplicated).
    public let text: String
    /// Where the first line ends, after its LF; 0 when the text has no line break.
    let firstLineEnd: Int
    /// Where the unfinished last line starts, after the last LF; 0 when there is no line break.
    let lastLineStart: Int
    /// The whole lines (the text's bytes before `lastLineStart`) encoded: the first line's encoding, then
    /// the others'.
    let encoded: [UInt8]
    /// Where the first line's encoding ends in `encoded`.
    let encodedFirstLineEnd: Int

    /// Encodes the whole lines of `text`.
    public init(_ text: String) {
        self.text = text
        let newline = UInt8(ascii: "\n")
        let lineBreaks = text.withBytes { bytes in
            bytes.firstIndex(of: newline).flatMap { first in bytes.lastIndex(of: newline).map { (first, $0) } }
        }
        guard let (first, last) = lineBreaks else {
            (firstLineEnd, lastLineStart, encoded, encodedFirstLineEnd) = (0, 0, [], 0)
            return
        }
        firstLineEnd = first + 1
        lastLineStart = last + 1
        // Unsafe: feeds the pointer encoder kept for bench "Render + MIME, sample issue" (16% more instructions with arrays); runs once per variant.
        (encoded, encodedFirstLineEnd) = text.withBytes { source in
            let firstLine = UnsafeBufferPointer(rebasing: source[..<(first + 1)])
            let otherLines = UnsafeBufferPointer(rebasing: source[(first + 1)..<(last + 1)])
            let capacity = QuotedPrintable.maxEncodedCount(firstLine.count) + QuotedPrintable.maxEncodedCount(otherLines.count)
            // Encoded into room for the worst case, then kept at its size: it lives as long as the send.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                guard let out = buffer.baseAddress else { return ([], 0) }
                let firstLineEncoded = QuotedPrintable.encode(firstLine, into: out)
                let count = firstLineEncoded + QuotedPrintable.encode(otherLines, into: out + firstLineEncoded)
                return (Array(UnsafeBufferPointer(start: out, count: count)), firstLineEncoded)
            }
        }
    }

    /// Whether the text has a line break, and so whole lines encoded once.
    var hasLineBreak: Bool { firstLineEnd > 0 }

    /// How many bytes are encoded with each message: the first and the last line.
    var unsharedCount: Int {
        let count = text.utf8.count
        return hasLineBreak ? firstLineEnd + count - lastLineStart : count
    }

    /// Equal when the texts are (the encoded form follows from the text).
    public static func == (lhs: SharedText, rhs: SharedText) -> Bool { lhs.text == rhs.text }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
