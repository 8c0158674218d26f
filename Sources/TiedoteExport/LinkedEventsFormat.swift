import TiedoteCore

/// The regional calendar's Linked Events event object in one place: its keys in output
/// order, each one's value, and the limits Linked Events' own validation applies.
public enum LinkedEventsFormat {
    /// One key of the event object and how to get its value.
    public struct Field: Sendable {
        /// The JSON key (`start_time`).
        public var key: String
        /// The value for an entry.
        public var value: @Sendable (LinkedEventsExport.Entry) -> JSONValue
    }

    /// The one language the network writes in.
    public static let language = "fi"

    /// Linked Events runs on Django, which counts code points.
    public static let nameLimit = TextLimit(255, counting: .unicodeScalars)
    /// The longest `short_description`.
    public static let shortDescriptionLimit = TextLimit(160, counting: .unicodeScalars)

    /// HTML elements that make a plain-text field (`name`, `short_description`) into markup:
    /// the regional calendar strips tags outside `description`. The JSON Schema in
    /// `Tests/integration/schemas/linked-events.schema.json` lists the same names.
    public static let htmlTagNames: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "iframe", "img", "li", "ol", "p", "pre", "script", "small", "span", "strong", "style", "sub",
        "sup", "table", "td", "th", "tr", "u", "ul",
    ]

    /// `event_status` for each event status.
    public static func status(_ status: Event.Status) -> String {
        switch status {
        case .scheduled: "EventScheduled"
        case .cancelled: "EventCancelled"
        case .postponed: "EventPostponed"
        }
    }

    /// A time with its explicit Helsinki offset (`2026-12-02T14:00:00+02:00`), or a bare
    /// `YYYY-MM-DD` for an all-day value.
    public static func time(_ value: LocalDateTime) -> String {
        guard let time = value.time else { return value.date.description }
        return Helsinki.iso8601(value.date, time)
    }

    /// `{"fi": text}`.
    public static func translated(_ text: String) -> JSONValue { .object([(language, .string(text))]) }

    /// `{"@id": url}`.
    public static func reference(_ url: String) -> JSONValue { .object([("@id", .string(url))]) }

    /// The event object's keys, in output order.
    public static let fields: [Field] = [
        Field(key: "type_id") { _ in .string("General") },
        Field(key: "name") { translated($0.event.title) },
        Field(key: "short_description") { translated($0.event.short) },
        Field(key: "description") { translated($0.descriptionHTML) },
        Field(key: "start_time") { .string(time($0.event.start)) },
        // An all-day event ends on its last day; a timed one without an end at the next
        // midnight, written out so that every export gives the same end.
        Field(key: "end_time") { .string(time(EventTimes.end(of: $0.event))) },
        Field(key: "location") { reference($0.placeID) },
        Field(key: "keywords") { .array($0.keywordIDs.map(reference)) },
        Field(key: "offers") { entry in
            let event = entry.event
            if event.isFree { return .array([.object([("is_free", .bool(true))])]) }
            var offer: [(String, JSONValue)] = [("is_free", .bool(false))]
            if let price = event.price?.trimmingSpaces { offer.append(("price", translated(price))) }
            if let link = entry.infoURL { offer.append(("info_url", translated(link))) }
            return .array([.object(offer)])
        },
        Field(key: "info_url") { $0.infoURL.map(translated) ?? .null },
        Field(key: "provider") { translated($0.provider) },
        // The API creates every event as scheduled (`EventSerializer.create`); cancelling is
        // a later PUT (see `TiedotePublish`).
        Field(key: "event_status") { _ in .string(status(.scheduled)) },
        // Linked Events takes images only as references to image resources made in the
        // calendar itself; an image URL cannot be posted with the event.
        Field(key: "images") { _ in .array([]) },
        Field(key: "external_links") { _ in .array([]) },
    ]
}
