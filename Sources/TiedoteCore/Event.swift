/// One event of the network, loaded from `Events/ID.md`.
public struct Event: Sendable, Hashable, Codable, Identifiable {
    /// Whether the event goes ahead.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case scheduled
        case cancelled
        case postponed
    }

    /// The file name without `.md`: how commands and messages name the event.
    public var id: String
    /// The optional `id:` of the front matter: stays the same when the file is renamed or the
    /// event moves to another day.
    public var stableID: String?
    /// The event's name.
    public var title: String
    /// Local start (Europe/Helsinki); no time means an all-day event.
    public var start: LocalDateTime
    /// Local end, inclusive for all-day events; nil when not given.
    public var end: LocalDateTime?
    /// The place's name.
    public var venue: String
    /// Street address with postal code, when known.
    public var address: String?
    /// The municipality, or `online`.
    public var municipality: Municipality
    /// The network's category (mapped to each calendar's own list on export).
    public var category: String
    /// One sentence, at most 160 characters, for listings and calendars.
    public var short: String
    /// Price text; nil or "Maksuton" for free events.
    public var price: String?
    /// Registration or ticket link.
    public var registration: String?
    /// The organising body.
    public var organizer: String?
    /// Image URL.
    public var image: String?
    /// The image's alternative text.
    public var imageAlt: String?
    /// Scheduled, cancelled or postponed.
    public var status: Status
    /// Free-form tags (`tuottajakahvit`).
    public var tags: [String]
    /// The long description in Markdown.
    public var description: String
    /// Where each front-matter key's value stands in the file (keyed by the YAML key), plus
    /// `"description"` for the body and `""` for the file itself.
    public var positions: [String: SourcePosition]

    /// Creates an event.
    public init(
        id: String, title: String, start: LocalDateTime, end: LocalDateTime? = nil, venue: String,
        address: String? = nil, municipality: Municipality, category: String, short: String,
        price: String? = nil, registration: String? = nil, organizer: String? = nil,
        image: String? = nil, imageAlt: String? = nil, status: Status = .scheduled,
        tags: [String] = [], description: String = "", positions: [String: SourcePosition] = [:],
        stableID: String? = nil
    ) {
        self.id = id
        self.stableID = stableID
        self.title = title
        self.start = start
        self.end = end
        self.venue = venue
        self.address = address
        self.municipality = municipality
        self.category = category
        self.short = short
        self.price = price
        self.registration = registration
        self.organizer = organizer
        self.image = image
        self.imageAlt = imageAlt
        self.status = status
        self.tags = tags
        self.description = description
        self.positions = positions
    }

    /// The identity calendars and the publish journal know the event by: the front matter's
    /// `id:` when given, else the file name.
    public var calendarID: String { stableID ?? id }

    /// True when the event has no times, only dates.
    public var isAllDay: Bool { start.isAllDay }

    /// True when the event is free of charge.
    public var isFree: Bool {
        guard let price = price?.trimmingSpaces, !price.isEmpty else { return true }
        return price.lowercased() == "maksuton" || price.lowercased() == "vapaa pääsy"
            || price == "0" || price == "0 €"
    }

    /// The last day the event touches.
    public var lastDate: LocalDate { end?.date ?? start.date }

    /// True when any day of the event falls within `first...last`.
    public func overlaps(from first: LocalDate, to last: LocalDate) -> Bool {
        start.date <= last && lastDate >= first
    }

    /// The position of a front-matter key, falling back to the file's first line.
    public func position(of key: String) -> SourcePosition {
        positions[key] ?? positions[""] ?? SourcePosition(path: "Events/\(id).md")
    }
}
