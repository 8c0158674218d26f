/// What a journal says, folded per recipient: the input of resuming and of `status`.
public struct JournalState: Sendable, Hashable {
    /// One recipient's standing.
    public struct Entry: Sendable, Hashable {
        /// The latest state (`sent` and `failed` are final).
        public var state: RecipientState
        /// The latest reply code.
        public var code: Int
        /// The latest reply text.
        public var text: String
        /// The Message-ID last used.
        public var messageID: String
        /// When the latest change happened (Unix seconds).
        public var time: Int
        /// How many times it was handed to a connection.
        public var attempts: Int
        /// True when it was once in flight at a crash or a broken connection: it may have
        /// arrived twice.
        public var possibleDuplicate: Bool
        /// The relay of the latest record that named one; empty when none did.
        public var relay: String = ""
    }

    /// Every recipient the journal mentions, by key.
    public var entries: [String: Entry] = [:]
    /// Lines that could not be read (a torn last line after a crash counts here).
    public var damagedLines = 0
    /// The issue and list the first line names; nil for a journal written before it did.
    public var header: JournalHeader?
    /// Recipients `forget` erased (their salted hashes): counted in no state.
    public var erased: Set<String> = []

    /// Creates an empty state.
    public init() {}

    /// Applies one record.
    public mutating func apply(_ record: JournalRecord) {
        var entry = entries[record.key] ?? Entry(
            state: record.state, code: 0, text: "", messageID: "", time: record.time, attempts: 0,
            possibleDuplicate: false)
        if record.state == .attempting { entry.attempts += 1 }
        if record.state == .uncertain { entry.possibleDuplicate = true }
        // A recipient once sent stays sent: a later line can only be a stray duplicate.
        if entry.state != .sent || record.state == .sent {
            entry.state = record.state
            entry.code = record.code
            entry.text = record.text
            entry.time = record.time
        }
        if !record.messageID.isEmpty { entry.messageID = record.messageID }
        if !record.relay.isEmpty { entry.relay = record.relay }
        entries[record.key] = entry
    }

    /// The entry for a recipient key.
    public subscript(key: String) -> Entry? { entries[key] }

    /// Keys whose last record is `attempting`: they were in flight when a run stopped.
    public var inFlight: [String] {
        entries.filter { $0.value.state == .attempting }.map(\.key).sorted()
    }

    /// How many recipients are in each state.
    public var counts: [RecipientState: Int] {
        entries.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }

    /// Keys that may have received two copies.
    public var possibleDuplicates: [String] {
        entries.filter { $0.value.possibleDuplicate }.map(\.key).sorted()
    }
}
