/// How long a send is expected to take, from the limits `tiedote.yml` sets (`send --dry-run`).
///
/// Only a rate limit bounds the pace in advance: how fast a relay answers is known only when
/// it answers, so connections alone give no duration. A relay without a rate of its own may
/// take every message as fast as it can, so the relays' rates cap the send only when every
/// relay has one; the whole-send rate caps it always.
public struct SendEstimate: Sendable, Hashable {
    /// One relay's limits as the estimate sees them.
    public struct Relay: Sendable, Hashable {
        /// The name the journal and `status` use.
        public var name: String
        /// Its concurrent connections.
        public var connections: Int
        /// Its own messages a minute; nil when it has no limit of its own.
        public var ratePerMinute: Int?

        /// Creates a relay's limits.
        public init(name: String, connections: Int, ratePerMinute: Int? = nil) {
            self.name = name
            self.connections = max(1, connections)
            self.ratePerMinute = ratePerMinute.flatMap { $0 > 0 ? $0 : nil }
        }
    }

    /// What caps the pace of the send.
    public enum Limit: Sendable, Hashable {
        /// The whole send's rate (`delivery.rate_per_minute` or `--rate`).
        case send
        /// The relays' own rates, added up (every relay has one).
        case relays
        /// Nothing known in advance: the relays' speed decides.
        case none
    }

    /// The messages to send.
    public let messages: Int
    /// The relays in order (one for the one-relay form, none for the outbox).
    public let relays: [Relay]
    /// The whole send's messages a minute, if limited.
    public let sendRatePerMinute: Int?

    /// Creates the estimate for `messages` messages.
    public init(messages: Int, relays: [Relay], sendRatePerMinute: Int?) {
        self.messages = max(0, messages)
        self.relays = relays
        self.sendRatePerMinute = sendRatePerMinute.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Connections of every relay together.
    public var connections: Int { relays.reduce(0) { $0 + $1.connections } }

    /// The relays' rates added up; nil when a relay has none (it could take everything).
    public var relaysPerMinute: Int? {
        let rates = relays.compactMap(\.ratePerMinute)
        guard !relays.isEmpty, rates.count == relays.count else { return nil }
        return rates.reduce(0, +)
    }

    /// The fastest pace the limits allow, in messages a minute; nil when nothing caps it.
    public var ceilingPerMinute: Int? { [sendRatePerMinute, relaysPerMinute].compactMap { $0 }.min() }

    /// Which limit sets `ceilingPerMinute` (the whole send's when both are equal).
    public var limit: Limit {
        guard let ceiling = ceilingPerMinute else { return .none }
        return ceiling == sendRatePerMinute ? .send : .relays
    }

    /// Seconds the send takes at the fastest pace the limits allow: the expected duration when
    /// the relays keep up, and never less; nil when nothing caps the pace.
    public var seconds: Double? {
        ceilingPerMinute.map { Double(messages) * 60 / Double($0) }
    }

    /// The relays with a rate of their own, when some but not all have one: together they
    /// would take `ratedSeconds` alone, so the send takes no longer while they keep up.
    public var ratedRelays: [Relay] { relays.filter { $0.ratePerMinute != nil } }

    /// Seconds the rated relays would need alone (the most the send takes while they keep up,
    /// the others only adding to the pace); nil when no relay has a rate.
    public var ratedSeconds: Double? {
        let rated = relays.compactMap(\.ratePerMinute).reduce(0, +)
        guard rated > 0 else { return nil }
        return Double(messages) * 60 / Double(rated)
    }

    /// A duration as a person reads it: `about 40 s`, `about 2 min`, `about 1 h 40 min`.
    public static func words(seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 90 { return "about \(whole) s" }
        let minutes = Int((seconds / 60).rounded())
        if minutes < 90 { return "about \(minutes) min" }
        return "about \(minutes / 60) h \(minutes % 60) min"
    }

    /// A duration as a clock, `m:ss` (minutes past 59 stay minutes: `125:04`).
    public static func clock(seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded()))
        return "\(whole / 60):" + (whole % 60 < 10 ? "0" : "") + "\(whole % 60)"
    }
}
