/// Writes header fields for the wire, folded (RFC 5322 §2.2.3) so that lines keep to 78
/// octets wherever there is white space to fold at, and never pass 998.
///
/// Every item after the field name is preceded by one space, and a fold (CRLF) goes before
/// that space when the item would not fit on the line: unfolding (deleting the CRLF) gives back
/// the very text that was written. Text with nowhere to fold is written as RFC 2047 encoded
/// words, which can be split anywhere; only an unbreakable token (an address, a URL, an id)
/// can make a line longer than 78, and one that would pass 998 makes `end()` throw.
struct HeaderWriter {
    /// The line length kept to where there is a place to fold (RFC 5322 §2.1.1).
    static let softLimit = 78
    /// The line length no header may pass: servers answer `500 Line too long` (RFC 5322
    /// §2.1.1, RFC 5321 §4.5.3.1.6).
    static let hardLimit = 998

    /// The header lines written so far.
    private(set) var bytes: [UInt8]
    /// The length of the current line so far.
    private(set) var column = 0
    /// The longest line of the current field.
    private var longest = 0
    /// True right after `begin`: the first item follows `Name: ` on the same line.
    private var atFieldStart = false
    /// The current field's name, for error messages.
    private var field: StaticString = ""

    /// An empty block with room for `capacity` bytes.
    init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Starts the field `name` (`Subject`): writes `Subject:`.
    mutating func begin(_ name: StaticString) {
        field = name
        longest = 0
        column = 0
        atFieldStart = true
        append(name)
        append(UInt8(ascii: ":"))
    }

    /// Ends the field with CRLF; throws when a line of it passes `hardLimit`.
    mutating func end() throws(MailError) {
        breakLine()
        guard longest <= Self.hardLimit else {
            throw MailError(.invalidHeader,
                "the \(field) header would need a line of \(longest) octets with no space to fold it at; "
                    + "mail servers refuse lines over \(Self.hardLimit): shorten it")
        }
    }

    /// Appends bytes already known to be whole, folded header lines (a cached block).
    mutating func appendLines(_ lines: [UInt8]) { bytes.append(contentsOf: lines) }

    /// One space before an item `width` octets wide, folding first when the item would
    /// not fit on this line. The first item of a field always follows `Name: `.
    mutating func space(before width: Int, limit: Int = softLimit) {
        if atFieldStart {
            atFieldStart = false
        } else if column + 1 + width > limit {
            breakLine()
        }
        append(UInt8(ascii: " "))
    }

    /// A space that may not fold (inside a run of spaces, where a fold would leave a line of
    /// white space only).
    mutating func plainSpace() {
        atFieldStart = false
        append(UInt8(ascii: " "))
    }

    /// An unbreakable item (`<address>`, `<url>,`), after a space and a fold if it needs one.
    mutating func token(_ text: String) {
        space(before: text.utf8.count)
        append(text)
    }

    /// `<text>`, with a comma after it when `comma`: a msg-id or one List-Unsubscribe target,
    /// which cannot be folded inside.
    mutating func angleToken(_ text: String, comma: Bool = false) {
        space(before: text.utf8.count + (comma ? 3 : 2))
        append(UInt8(ascii: "<"))
        append(text)
        append(UInt8(ascii: ">"))
        if comma { append(UInt8(ascii: ",")) }
    }

    /// `Name <address>`, or the bare address when there is no name.
    mutating func mailbox(_ mailbox: Mailbox) {
        if mailbox.name.isEmpty {
            token(mailbox.address.value)
        } else {
            phrase(mailbox.name)
            angleToken(mailbox.address.value)
        }
    }

    /// The Date header's value (fixed width, no folding).
    mutating func date(_ instant: Int) {
        space(before: 31)
        let before = bytes.count
        MailDate.append(instant, to: &bytes)
        column += bytes.count - before
    }

    /// Ends the line: CRLF, and the next one starts at column 0 (a fold then adds its space).
    mutating func breakLine() {
        longest = max(longest, column)
        bytes.append(13)
        bytes.append(10)
        column = 0
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        bytes.append(byte)
        column += 1
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        column += text.utf8CodeUnitCount
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        column += text.utf8.count
    }
}
