/// Why a message could not be built, handed over or recorded.
///
/// A struct rather than an enum so that new kinds can be added without breaking callers.
public struct MailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The family a problem belongs to.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidAddress = "invalid address"
            case invalidHeader = "invalid header"
            case connection = "connection"
            case tls = "tls"
            case authentication = "authentication"
            case configuration = "configuration"
            case io = "file"
            case journal = "journal"
            case refused = "refused"
        }

        private let base: Base

        /// A malformed mail address (CR, LF, spaces, no `@`, …).
        public static let invalidAddress = Kind(base: .invalidAddress)
        /// A header value that cannot be written safely (CR or LF inside it, …).
        public static let invalidHeader = Kind(base: .invalidHeader)
        /// The server could not be reached or the connection broke.
        public static let connection = Kind(base: .connection)
        /// TLS was required but could not be set up or verified.
        public static let tls = Kind(base: .tls)
        /// The server refused the user name or password.
        public static let authentication = Kind(base: .authentication)
        /// The transport's settings are unusable.
        public static let configuration = Kind(base: .configuration)
        /// A file could not be read or written.
        public static let io = Kind(base: .io)
        /// The delivery journal is unreadable or unwritable.
        public static let journal = Kind(base: .journal)
        /// The relay refused recipient after recipient alike: the circuit breaker stopped the run.
        public static let refused = Kind(base: .refused)

        /// The kind's name.
        public var description: String { base.rawValue }
    }

    /// What family the problem belongs to.
    public var kind: Kind
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
