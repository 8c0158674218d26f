/// The header lines every message of a send has in common (Date, From, Reply-To, Subject,
/// List-Id), checked, folded and encoded once rather than once per recipient.
///
/// `MIMEMessage.encoded(sharing:)` uses the lines only for a message with the very same
/// values, so a stale or foreign block can never reach the wire.
public struct SharedHeaders: Sendable, Hashable {
    let from: Mailbox
    let replyTo: MailAddress?
    let subject: String
    let date: Int
    let listID: String?
    let listTitle: String?
    /// The lines, CRLF-terminated.
    let bytes: [UInt8]

    /// Writes the shared lines of `message`; throws what `MIMEMessage.validate()` would.
    public init(for message: MIMEMessage) throws(MailError) {
        from = message.from
        replyTo = message.replyTo
        subject = message.subject
        date = message.date
        listID = message.list?.id
        listTitle = message.list?.title
        try message.validateShared()
        var writer = HeaderWriter(capacity: 512)
        try message.writeShared(to: &writer)
        bytes = writer.bytes
    }

    /// True when `message` has the values these lines were written for. The strings of one
    /// send share their storage, so each comparison ends at the first (pointer) check.
    func fits(_ message: MIMEMessage) -> Bool {
        date == message.date && from == message.from && replyTo == message.replyTo && subject == message.subject
            && listID == message.list?.id && listTitle == message.list?.title
    }
}
