import TiedoteCore

/// A display name with an address: `Aino Mäkelä <aino@example.fi>`.
public struct Mailbox: Sendable, Hashable {
    /// The display name; empty for a bare address.
    public var name: String
    /// The address.
    public var address: MailAddress

    /// Creates a mailbox.
    public init(name: String = "", address: MailAddress) {
        self.name = name
        self.address = address
    }
}

/// The mailing-list headers of a bulk message (RFC 2919, RFC 2369, RFC 8058).
public struct ListHeaders: Sendable, Hashable {
    /// The List-Id's dot-atom (`members.tuottajaverkosto.example.fi`).
    public var id: String
    /// The List-Id's human phrase (the list's title).
    public var title: String
    /// A `mailto:` URI that unsubscribes by mail (`mailto:peru@example.fi?subject=…`), if any.
    public var unsubscribeMailto: String?
    /// The https URL that unsubscribes with one click, if any (already personalised).
    public var unsubscribeURL: String?

    /// Creates list headers.
    public init(id: String, title: String, unsubscribeMailto: String? = nil, unsubscribeURL: String? = nil) {
        self.id = id
        self.title = title
        self.unsubscribeMailto = unsubscribeMailto
        self.unsubscribeURL = unsubscribeURL
    }

    /// The List-Id for list `name` of a network at `domain`: `name.domain`, with the list name
    /// reduced to the characters a dot-atom allows.
    public static func listID(name: String, domain: String) -> String {
        "\(atom(name)).\(domain.lowercased())"
    }

    /// The plain `mailto:` URI for an address, asking for the subject `unsubscribe`.
    public static func mailto(_ address: MailAddress) -> String { "mailto:\(address.value)?subject=unsubscribe" }

    /// `name` lower-cased with everything but letters, digits and `-` turned into `-`.
    static func atom(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "0"..."9", "-": Character(scalar)
            default: "-"
            }
        })
    }
}

/// One personalised newsletter message: headers, a plain-text part and an HTML part.
///
/// `encoded()` turns it into the 7-bit bytes that go on the wire (CRLF line ends,
/// RFC 2047 encoded words, quoted-printable bodies, `multipart/alternative` with the text
/// part first). Every header value is checked first: a CR or LF anywhere is an error.
public struct MIMEMessage: Sendable, Hashable {
    /// The sender: the coordinator on duty.
    public var from: Mailbox
    /// Where replies go, when not to the sender.
    public var replyTo: MailAddress?
    /// The one recipient.
    public var to: Mailbox
    /// The subject, any Unicode text without line breaks.
    public var subject: String
    /// The Date header's instant, in Unix seconds; written in Helsinki time.
    public var date: Int
    /// The Message-ID without angle brackets (`2026-12.members.1a2b…@domain`).
    public var messageID: String
    /// List-Id and List-Unsubscribe, for list mail.
    public var list: ListHeaders?
    /// The plain-text body.
    public var textBody: BodyText
    /// The HTML body.
    public var htmlBody: BodyText

    /// Creates a message whose bodies may share runs with other messages.
    public init(
        from: Mailbox, replyTo: MailAddress? = nil, to: Mailbox, subject: String, date: Int,
        messageID: String, list: ListHeaders? = nil, textBody: BodyText, htmlBody: BodyText
    ) {
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.list = list
        self.textBody = textBody
        self.htmlBody = htmlBody
    }

    /// Creates a message.
    public init(
        from: Mailbox, replyTo: MailAddress? = nil, to: Mailbox, subject: String, date: Int,
        messageID: String, list: ListHeaders? = nil, text: String, html: String
    ) {
        self.init(
            from: from, replyTo: replyTo, to: to, subject: subject, date: date, messageID: messageID, list: list,
            textBody: BodyText(text), htmlBody: BodyText(html))
    }

    /// The longest header line a message may have (RFC 5322 §2.1.1): servers refuse longer.
    public static let longestHeaderLine = HeaderWriter.hardLimit

    /// The plain-text body's whole text.
    public var text: String { textBody.string }
    /// The HTML body's whole text.
    public var html: String { htmlBody.string }

    /// A Message-ID that stays the same for the same issue, list and recipient, so a message
    /// sent twice after a crash is recognisable as the same message.
    public static func messageID(issue: String, list: String, recipient: MailAddress, domain: String) -> String {
        let hash = fnv1a64(recipient.key.utf8)
        return "\(issue).\(ListHeaders.atom(list)).\(hex16(hash))@\(domain.lowercased())"
    }

    /// FNV-1a, 64 bits: stable across runs and machines, unlike `Hasher`.
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Sixteen lower-case hex digits.
    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
