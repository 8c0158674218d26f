/// How long `send` waits for an SMTP relay at each step, in seconds (`delivery.smtp.timeouts`).
///
/// The defaults follow RFC 5321 §4.5.3.2, which asks a client to wait minutes: a busy relay may
/// check a message for a long time before it answers the end of DATA, and giving up earlier
/// leaves the message uncertain (it may have been taken after all).
public struct SMTPTimeouts: Sendable, Hashable, Codable {
    /// Connecting, TLS and the greeting, EHLO and AUTH.
    public var connect: Int
    /// Each reply to a command: MAIL FROM, RCPT TO, DATA (RFC 5321: 5 minutes).
    public var command: Int
    /// Sending the message with no progress at all (RFC 5321: 3 minutes per block).
    public var data: Int
    /// The reply after the whole message, `250 … queued` (RFC 5321: 10 minutes).
    public var endOfData: Int

    /// The settings' keys, in the order the docs give them.
    public static let keys = ["connect", "command", "data", "end_of_data"]

    /// Creates timeouts; the defaults are RFC 5321's (connect: 30 s).
    public init(connect: Int = 30, command: Int = 300, data: Int = 180, endOfData: Int = 600) {
        self.connect = connect
        self.command = command
        self.data = data
        self.endOfData = endOfData
    }
}
