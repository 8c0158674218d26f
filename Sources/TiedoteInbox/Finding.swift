/// What one message says about one address.
public struct Finding: Sendable, Hashable {
    /// What kind of message it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A permanent failure: the address does not work.
        case hard
        /// A temporary failure: a full mailbox, a server down, a delay.
        case soft
        /// The reader asked to leave the list.
        case unsubscribe
        /// An out-of-office or other automatic reply: changes nothing.
        case autoReply = "auto-reply"
        /// Not understood, or not sure: changes nothing.
        case unknown
    }

    /// The address concerned, lower-cased; nil when none could be told.
    public var address: String?
    /// The kind.
    public var kind: Kind
    /// The enhanced status code (`5.1.1`) or SMTP reply code, when the report gives one.
    public var status: String?
    /// The send the bounced message came from (`2026-12/members`), when it can be told.
    public var send: String?
    /// True when a signed token (VERP return path or unsubscribe token) names the address:
    /// it was ours to mail, whatever the lists say now.
    public var signed: Bool
    /// Why, in a few words.
    public var note: String

    /// Creates a finding.
    public init(address: String?, kind: Kind, status: String? = nil, send: String? = nil, signed: Bool = false, note: String = "") {
        self.address = address
        self.kind = kind
        self.status = status
        self.send = send
        self.signed = signed
        self.note = note
    }
}
