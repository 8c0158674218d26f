/// How one relay is doing in a run, and what that allows: its connections and rate now
/// (halved after several 421/451 in a short time, raised back one step after a quiet period)
/// and whether it is resting (after 4xx replies or failed connections in a row, while another
/// relay can take its share).
///
/// A plain value with the time passed in, so its rules can be tested without threads or clocks;
/// the scheduler holds one per relay under its lock.
struct RelayHealth: Sendable, Hashable {
    /// What happened to one message on the relay, as far as its health goes.
    enum Event: Sendable, Hashable {
        /// The relay answered normally (250, or a 5xx that is about the recipient or the message).
        case answered
        /// 421 or 451: the relay asks to slow down (or closes the connection).
        case slowDown
        /// Another 4xx, or the connection failed or broke.
        case trouble
    }

    /// The relay's name in notices.
    let name: String
    /// The configured connections, the most ever allowed.
    let configuredConnections: Int
    /// The configured rate (messages a minute), nil for none.
    let configuredRate: Int?
    /// The connections allowed now.
    private(set) var connections: Int
    /// The rate allowed now.
    private(set) var ratePerMinute: Int?
    /// Until when (monotonic seconds) the relay rests; 0 for not resting.
    private(set) var restedUntil = 0.0

    private let slowDownAfter: Int
    private let window: Double
    private let quietPeriod: Double
    private let restAfter: Int
    private let restDelay: Double
    private var slowDowns: [Double] = []
    private var lastTrouble = -Double.infinity
    private var lastChange = -Double.infinity
    private var troubleInRow = 0
    private var restsInRow = 0

    /// A healthy relay with its configured limits.
    init(name: String, connections: Int, ratePerMinute: Int?, options: DeliveryOptions) {
        self.name = name
        configuredConnections = max(1, connections)
        configuredRate = ratePerMinute
        self.connections = configuredConnections
        self.ratePerMinute = ratePerMinute
        slowDownAfter = options.slowDownAfter
        window = options.slowDownWindow
        quietPeriod = options.quietPeriod
        restAfter = options.restAfter
        restDelay = options.restDelay
    }

    /// True while the relay rests.
    func isResting(at now: Double) -> Bool { now < restedUntil }

    /// Takes in one message's event; `othersCanWork` tells whether another relay could take
    /// this one's share (a lone relay is never rested: its recipients wait for their retries).
    /// Returns the notices it gives rise to.
    mutating func record(_ event: Event, at now: Double, othersCanWork: Bool) -> [String] {
        guard event != .answered else {
            troubleInRow = 0
            restsInRow = 0
            return []
        }
        var notices: [String] = []
        lastTrouble = now
        if event == .slowDown, let notice = slowDown(at: now) { notices.append(notice) }
        troubleInRow += 1
        if troubleInRow >= restAfter && othersCanWork && !isResting(at: now) {
            let seconds = restDelay * Double(1 << min(restsInRow, 3))
            restedUntil = now + seconds
            restsInRow += 1
            troubleInRow = 0
            notices.append("\(name): \(restAfter) failures in a row, resting for \(Self.seconds(seconds)); the other relays take its share")
        }
        return notices
    }

    /// Raises the connections and rate one step (doubling, up to the configured values) after
    /// a quiet period; the notice when it did.
    mutating func raiseIfQuiet(at now: Double) -> String? {
        let lowered = connections < configuredConnections || (ratePerMinute ?? 0) < (configuredRate ?? 0)
        guard lowered, now - max(lastTrouble, lastChange) >= quietPeriod else { return nil }
        connections = min(configuredConnections, connections * 2)
        if let rate = ratePerMinute, let configured = configuredRate { ratePerMinute = min(configured, rate * 2) }
        lastChange = now
        return "\(name): quiet for \(Self.seconds(quietPeriod)), back up to \(limits)"
    }

    /// Halves connections and rate when enough 421/451 fell within the window.
    private mutating func slowDown(at now: Double) -> String? {
        slowDowns.append(now)
        slowDowns.removeAll { $0 < now - window }
        guard slowDowns.count >= slowDownAfter else { return nil }
        let count = slowDowns.count
        slowDowns.removeAll()
        let halved = max(1, connections / 2)
        let halvedRate = ratePerMinute.map { max(1, $0 / 2) }
        guard halved != connections || halvedRate != ratePerMinute else { return nil }
        connections = halved
        ratePerMinute = halvedRate
        lastChange = now
        return "\(name): \(count)× 421/451 in \(Self.seconds(window)), down to \(limits)"
    }

    /// "2 connections and 150/min", or "2 connections" without a rate.
    private var limits: String {
        let count = connections == 1 ? "1 connection" : "\(connections) connections"
        return ratePerMinute.map { "\(count) and \($0)/min" } ?? count
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
