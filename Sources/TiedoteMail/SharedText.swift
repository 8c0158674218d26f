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
    /// The text's UTF-8 bytes.
    let bytes: [UInt8]
    /// Where the first line ends, after its LF; 0 when the text has no line break.
    let firstLineEnd: Int
    /// Where the unfinished last line starts, after the last LF; 0 when there is no line break.
    let lastLineStart: Int
    /// The whole lines, `bytes[..<lastLineStart]`, encoded: the first line's encoding, then
    /// the others'.
    let encoded: [UInt8]
    /// Where the first line's encoding ends in `encoded`.
    let encodedFirstLineEnd: Int

    /// Encodes the whole lines of `text`.
    public init(_ text: String) {
        bytes = Array(text.utf8)
        let newline = UInt8(ascii: "\n")
        guard let first = bytes.firstIndex(of: newline), let last = bytes.lastIndex(of: newline) else {
            (firstLineEnd, lastLineStart, encoded, encodedFirstLineEnd) = (0, 0, [], 0)
            return
        }
        firstLineEnd = first + 1
        lastLineStart = last + 1
        var firstLineEncoded = 0
        encoded = bytes.withUnsafeBufferPointer { source in
            let firstLine = UnsafeBufferPointer(rebasing: source[..<(first + 1)])
            let otherLines = UnsafeBufferPointer(rebasing: source[(first + 1)..<(last + 1)])
            let capacity = QuotedPrintable.maxEncodedCount(firstLine.count) + QuotedPrintable.maxEncodedCount(otherLines.count)
            return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                guard let out = buffer.baseAddress else { return }
                firstLineEncoded = QuotedPrintable.encode(firstLine, into: out)
                count = firstLineEncoded + QuotedPrintable.encode(otherLines, into: out + firstLineEncoded)
            }
        }
        encodedFirstLineEnd = firstLineEncoded
    }

    /// The text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the text has a line break, and so whole lines encoded once.
    var hasLineBreak: Bool { firstLineEnd > 0 }

    /// How many bytes are encoded with each message: the first and the last line.
    var unsharedCount: Int { hasLineBreak ? firstLineEnd + bytes.count - lastLineStart : bytes.count }

    /// Equal when the texts are (the encoded form follows from the text).
    public static func == (lhs: SharedText, rhs: SharedText) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
