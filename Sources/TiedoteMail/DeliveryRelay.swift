/// One relay a run may send through: its name for the journal, its limits, and how to open a
/// connection to it.
public struct DeliveryRelay: Sendable {
    /// The name journalled with each message it takes (`Settings.SMTP.displayName`); empty for
    /// none (the outbox).
    public var name: String
    /// Its concurrent connections (one thread and one transport each).
    public var connections: Int
    /// Its own messages per minute; nil for no limit of its own (the whole send's still holds).
    public var ratePerMinute: Int?
    /// Messages after which a connection is closed (QUIT) and a fresh one opened; nil for none.
    public var messagesPerConnection: Int?
    /// Opens one connection (called again after a QUIT, a 421 or a broken connection).
    public var makeTransport: @Sendable () throws -> any Transport

    /// Creates a relay.
    public init(
        name: String = "", connections: Int = 1, ratePerMinute: Int? = nil, messagesPerConnection: Int? = nil,
        makeTransport: @escaping @Sendable () throws -> any Transport
    ) {
        self.name = name
        self.connections = max(1, connections)
        self.ratePerMinute = ratePerMinute.flatMap { $0 > 0 ? $0 : nil }
        self.messagesPerConnection = messagesPerConnection.flatMap { $0 > 0 ? $0 : nil }
        self.makeTransport = makeTransport
    }
}
