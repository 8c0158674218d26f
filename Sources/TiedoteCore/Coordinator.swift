/// One of the organisations that coordinate the network in turns.
public struct Coordinator: Sendable, Hashable, Codable, Identifiable {
    /// Short id used in `rotation.order` and issue files (`humak`).
    public var id: String
    /// Display name, used as the From name.
    public var name: String
    /// Sender address.
    public var email: String
    /// Reply-To address; the sender address when nil.
    public var replyTo: String?
    /// Signature in Markdown, printed at the end of the newsletter.
    public var signature: String

    /// Creates a coordinator.
    public init(id: String, name: String, email: String, replyTo: String? = nil, signature: String = "") {
        self.id = id
        self.name = name
        self.email = email
        self.replyTo = replyTo
        self.signature = signature
    }
}

/// The order in which coordinators take turns.
public struct Rotation: Sendable, Hashable, Codable {
    /// Coordinator ids in turn order.
    public var order: [String]
    /// The month the first coordinator's first turn starts.
    public var firstMonth: YearMonth
    /// How many months one turn lasts.
    public var monthsPerTurn: Int

    /// Creates a rotation.
    public init(order: [String], firstMonth: YearMonth, monthsPerTurn: Int) {
        self.order = order
        self.firstMonth = firstMonth
        self.monthsPerTurn = monthsPerTurn
    }

    /// The id of the coordinator on duty in `month`; months before `firstMonth` count backwards.
    public func coordinatorID(for month: YearMonth) -> String? {
        guard !order.isEmpty, monthsPerTurn > 0 else { return nil }
        let turns = Int((Double(month.months(since: firstMonth)) / Double(monthsPerTurn)).rounded(.down))
        let index = ((turns % order.count) + order.count) % order.count
        return order[index]
    }
}
