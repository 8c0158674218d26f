import TiedoteCore

/// `tiedote reach`: how far beyond Jyväskylä the network reaches — for each of the 22
/// municipalities of Keski-Suomi, the events in a period, the subscribers, and the last event.
public struct Reach: Sendable, Hashable {
    /// One municipality's numbers.
    public struct Row: Sendable, Hashable {
        /// The municipality.
        public var municipality: Municipality
        /// Events (not cancelled) that touch the period.
        public var events: Int
        /// Subscribers who live there (all lists, each address once, suppressed left out).
        public var subscribers: Int
        /// The start date of the latest event (not cancelled) on or before the period's end,
        /// even when it was before the period: when did anything last happen there.
        public var lastEvent: LocalDate?

        /// True with neither events nor subscribers.
        public var hasNothing: Bool { events == 0 && subscribers == 0 }

        /// `nothing`, `no events`, `no subscribers` or empty: what the row lacks.
        public var gap: String {
            switch (events, subscribers) {
            case (0, 0): "nothing"
            case (0, _): "no events"
            case (_, 0): "no subscribers"
            default: ""
            }
        }
    }

    /// First day of the period.
    public var from: LocalDate
    /// Last day of the period.
    public var to: LocalDate
    /// The 22 municipalities, in alphabetical order.
    public var rows: [Row]
    /// Online events in the period.
    public var onlineEvents: Int
    /// Subscribers without a municipality.
    public var subscribersWithoutMunicipality: Int

    /// Counts `events` and `subscribers` (already deduplicated and without suppressed ones).
    public init(events: [Event], subscribers: [Subscriber], from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
        let live = events.filter { $0.status != .cancelled }
        let inPeriod = live.filter { $0.overlaps(from: from, to: to) }
        var people: [Municipality?: Int] = [:]
        for subscriber in subscribers { people[subscriber.municipality, default: 0] += 1 }
        rows = Municipality.keskiSuomi.map { municipality in
            Row(
                municipality: municipality,
                events: inPeriod.filter { $0.municipality == municipality }.count,
                subscribers: people[municipality] ?? 0,
                lastEvent: live.filter { $0.municipality == municipality && $0.start.date <= to }
                    .map(\.start.date).max())
        }
        onlineEvents = inPeriod.filter { $0.municipality.isOnline }.count
        subscribersWithoutMunicipality = people[nil] ?? 0
    }

    /// Counts a workspace: its events and the subscribers of `lists` (all lists when nil),
    /// each address once, suppressed addresses left out.
    public init(workspace: Workspace, from: LocalDate, to: LocalDate, lists: [String]? = nil) throws {
        let suppressions = try workspace.suppressions()
        var seen = Set<String>()
        var subscribers: [Subscriber] = []
        for list in try lists ?? workspace.listNames() {
            try workspace.forEachSubscriber(list: list) { subscriber in
                guard !suppressions.contains(subscriber.email), seen.insert(subscriber.key).inserted else { return }
                subscribers.append(subscriber)
            }
        }
        self.init(events: workspace.events, subscribers: subscribers, from: from, to: to)
    }

    /// The default period: the calendar year of `today`.
    public static func defaultPeriod(today: LocalDate) -> (from: LocalDate, to: LocalDate) {
        let from = LocalDate(year: today.year, month: 1, day: 1) ?? today
        let to = LocalDate(year: today.year, month: 12, day: 31) ?? today
        return (from, to)
    }

    /// Events in the period in the 22 municipalities (online ones not counted).
    public var municipalEvents: Int { rows.map(\.events).reduce(0, +) }

    /// Of those, events outside Jyväskylä.
    public var eventsOutsideJyvaskyla: Int {
        rows.filter { $0.municipality != .jyvaskyla }.map(\.events).reduce(0, +)
    }

    /// Subscribers in the 22 municipalities.
    public var municipalSubscribers: Int { rows.map(\.subscribers).reduce(0, +) }

    /// Municipalities with at least one event in the period.
    public var municipalitiesWithEvents: Int { rows.filter { $0.events > 0 }.count }

    /// The rows with the most events first (then subscribers, then name): the chart's order.
    public var rankedRows: [Row] {
        rows.enumerated().sorted { a, b in
            (-a.element.events, -a.element.subscribers, a.offset) < (-b.element.events, -b.element.subscribers, b.offset)
        }.map(\.element)
    }

    /// The one-line answer: how many municipalities, what share outside Jyväskylä.
    public var headline: String {
        let share = municipalEvents == 0 ? 0 : Int((Double(eventsOutsideJyvaskyla) * 100 / Double(municipalEvents)).rounded())
        return "\(municipalitiesWithEvents) of 22 municipalities had events; "
            + "\(eventsOutsideJyvaskyla) of \(municipalEvents) events (\(share) %) were outside Jyväskylä"
    }

    /// `d.m.yyyy`, the Finnish way.
    static func finnish(_ date: LocalDate) -> String { "\(date.day).\(date.month).\(date.year)" }

    /// The period as `1.1.2026–31.12.2026`.
    public var periodText: String { "\(Self.finnish(from))–\(Self.finnish(to))" }
}
