/// Who a message goes from and to on the wire, apart from its headers.
public struct Envelope: Sendable, Hashable {
    /// `MAIL FROM`: where bounces go.
    public var from: MailAddress
    /// `RCPT TO`: the one recipient.
    public var to: MailAddress
    /// The message's Message-ID (for the journal and file names).
    public var messageID: String

    /// Creates an envelope.
    public init(from: MailAddress, to: MailAddress, messageID: String) {
        self.from = from
        self.to = to
        self.messageID = messageID
    }
}

/// What became of one message handed to a transport.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The server took it (`250`).
    case sent(code: Int, text: String)
    /// The server said try later (`4xx`).
    case deferred(code: Int, text: String)
    /// The server refused the recipient (`5xx` to `RCPT TO`); `RefusalVerdict` says whether that
    /// is about the address at all.
    case failed(code: Int, text: String)
    /// The server refused the message itself (`5xx` to `DATA` or at its end): nothing said about
    /// the address, so the recipient stays pending.
    case messageRefused(code: Int, text: String)
    /// The connection broke before an answer. `maybeDelivered` is true when the whole message
    /// had gone out, so the server may have taken it; false when it cannot have.
    case connectionLost(String, maybeDelivered: Bool)

    /// The reply code, 0 when there was none.
    public var code: Int {
        switch self {
        case .sent(let code, _), .deferred(let code, _), .failed(let code, _), .messageRefused(let code, _): code
        case .connectionLost: 0
        }
    }

    /// The reply text or what broke.
    public var text: String {
        switch self {
        case .sent(_, let text), .deferred(_, let text), .failed(_, let text), .messageRefused(_, let text),
            .connectionLost(let text, _):
            text
        }
    }

    /// True when the reply says the mailbox itself is bad (5.1.1, 5.1.2, 5.1.10, 5.2.1): the
    /// address goes to `suppressed.csv`. A bare 550/551/553 needs the run's context (see
    /// `RefusalVerdict.badMailboxIfOthersAccepted`), so it is not a bounce by itself.
    public var isBounce: Bool {
        if case .failed(let code, let text) = self {
            return RefusalVerdict.forRecipient(SMTPReply(code: code, line: text)) == .badMailbox
        }
        return false
    }
}

/// Something that takes one message for one recipient at a time: an SMTP connection, the
/// Maildir outbox or an in-memory test double.
///
/// A transport is used by one thread at a time; parallel delivery makes one per connection.
/// It throws only for problems that stop the whole run (TLS refused, wrong password, bad
/// settings); everything that concerns one message is a `DeliveryOutcome`.
public protocol Transport: AnyObject {
    /// Hands `message` (CRLF, 7-bit, not dot-stuffed) over for `envelope.to`.
    ///
    /// `beforeCommit` runs at most once, at the last moment before the receiver can take the
    /// message (before SMTP's end of data, before the outbox's rename into `new/`): the
    /// delivery engine waits there for its journal, so that the disk's flush overlaps the
    /// SMTP dialogue. When it throws, the message is abandoned untaken and the error is
    /// rethrown. A transport that talks to a server does not call it when the server refused
    /// the message earlier (at MAIL or RCPT).
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome

    /// Hands over the message that `body` makes, for `envelope.to`, asking for it as late as
    /// the transport can: over SMTP the connection, greeting, EHLO, MAIL FROM, RCPT TO and
    /// DATA go first, so the message is made while the relay answers. When `body` throws,
    /// the end of data never goes out (nothing is taken) and `UnmadeMessage` is thrown.
    func send(envelope: Envelope, body: () throws -> [UInt8], beforeCommit: () throws -> Void) throws -> DeliveryOutcome
}

/// The message a transport asked for could not be made (`Transport.send(envelope:body:beforeCommit:)`):
/// nothing was taken, and the transport is ready for the next message.
public struct UnmadeMessage: Error, CustomStringConvertible {
    /// What making it threw.
    public var reason: any Error

    /// Wraps `reason`.
    public init(_ reason: any Error) { self.reason = reason }

    /// The reason's own words.
    public var description: String { "\(reason)" }
}

extension Transport {
    /// Makes the message first, then hands it over: for transports with no dialogue to
    /// overlap (the outbox, the in-memory double).
    public func send(envelope: Envelope, body: () throws -> [UInt8], beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        let message: [UInt8]
        do { message = try body() } catch { throw UnmadeMessage(error) }
        return try send(message, envelope: envelope, beforeCommit: beforeCommit)
    }

    /// Hands `message` over with nothing to wait for before it is taken.
    public func send(_ message: [UInt8], envelope: Envelope) throws -> DeliveryOutcome {
        try send(message, envelope: envelope, beforeCommit: {})
    }
}
