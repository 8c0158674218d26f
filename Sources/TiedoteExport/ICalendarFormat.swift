import TiedoteCore

/// The iCalendar feed's layout in one place: the calendar's header, the Helsinki time zone,
/// and each event's properties in the order they are written.
public enum ICalendarFormat {
    /// One property's value, by value type; encoding and escaping follow from the type.
    public enum Value: Sendable, Hashable {
        /// TEXT, escaped.
        case text(String)
        /// A comma-separated list of TEXT values, each escaped.
        case textList([String])
        /// A URI, written as is.
        case uri(String)
        /// A UTC DATE-TIME from a Unix instant.
        case utc(Int)
        /// A local DATE-TIME with `TZID=Europe/Helsinki`.
        case local(LocalDate, LocalTime)
        /// A DATE with `VALUE=DATE`.
        case date(LocalDate)
        /// A token written as is (`CONFIRMED`).
        case token(String)
    }

    /// One row of the event table: the property's name and how to get its value (nil = omit).
    public struct Property: Sendable {
        /// The property name (`DTSTART`).
        public var name: String
        /// The value for an entry, or nil to leave the property out.
        public var value: @Sendable (ICalendarExport.Entry) -> Value?
    }

    /// The time zone every local time refers to.
    public static let timeZoneID = "Europe/Helsinki"

    /// `STATUS` for each event status.
    public static func status(_ status: Event.Status) -> String {
        switch status {
        case .scheduled: "CONFIRMED"
        case .cancelled: "CANCELLED"
        case .postponed: "TENTATIVE"
        }
    }

    /// The properties of each `VEVENT`, in output order.
    public static let eventProperties: [Property] = [
        Property(name: "UID") { .token($0.uid) },
        Property(name: "DTSTAMP") { .utc($0.modified) },
        Property(name: "DTSTART") { entry in
            let start = entry.event.start
            guard let time = start.time else { return .date(start.date) }
            return .local(start.date, time)
        },
        Property(name: "DTEND") { entry in
            let event = entry.event
            let end = EventTimes.end(of: event)
            // All-day DTEND is exclusive: the day after the last day. A timed event without
            // an end gets the same next midnight as every other export.
            guard let time = end.time else { return .date(end.date.adding(days: 1)) }
            return .local(end.date, time)
        },
        Property(name: "SUMMARY") { .text($0.event.title) },
        Property(name: "DESCRIPTION") { $0.description.isEmpty ? nil : .text($0.description) },
        Property(name: "LOCATION") { .text($0.location) },
        Property(name: "URL") { $0.url.map(Value.uri) },
        Property(name: "CATEGORIES") { .textList($0.categories) },
        Property(name: "STATUS") { .token(status($0.event.status)) },
        Property(name: "SEQUENCE") { .token(String($0.revision.sequence)) },
        Property(name: "LAST-MODIFIED") { .utc($0.modified) },
    ]

    /// The `VTIMEZONE` for Europe/Helsinki, generated from `Helsinki`'s rule (one yearly
    /// rule per change, from 1970), so the feed and the offsets in every export cannot disagree.
    public static let timeZoneLines: [String] = {
        func component(_ kind: String, _ change: Helsinki.Change) -> [String] {
            let first = Helsinki.lastSunday(month: change.month, year: 1970)
            let start = ICalendarText.localDateTime(first, LocalTime(hour: change.localHour, minute: 0) ?? .midnight)
            return [
                "BEGIN:\(kind)",
                "TZOFFSETFROM:\(offset(change.offsetFrom))",
                "TZOFFSETTO:\(offset(change.offsetTo))",
                "TZNAME:\(change.name)",
                "DTSTART:\(start)",
                "RRULE:FREQ=YEARLY;BYMONTH=\(change.month);BYDAY=-1SU",
                "END:\(kind)",
            ]
        }
        /// `+0300`: iCalendar's UTC-OFFSET has no colon.
        func offset(_ seconds: Int) -> String { Helsinki.offsetText(seconds).replacingOccurrences(of: ":", with: "") }
        return ["BEGIN:VTIMEZONE", "TZID:\(timeZoneID)"]
            + component("DAYLIGHT", Helsinki.daylightBegins)
            + component("STANDARD", Helsinki.daylightEnds)
            + ["END:VTIMEZONE"]
    }()

    /// The calendar's own properties, in output order.
    public static func calendarLines(networkName: String) -> [String] {
        [
            "VERSION:2.0",
            "PRODID:-//\(ICalendarText.escape(networkName))//Tiedote//FI",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:\(ICalendarText.escape(networkName))",
        ]
    }

    /// One content line, unfolded: `NAME;PARAM=…:value`.
    public static func line(_ name: String, _ value: Value) -> String {
        switch value {
        case let .text(text): "\(name):\(ICalendarText.escape(text))"
        case let .textList(items): "\(name):" + items.map(ICalendarText.escape).joined(separator: ",")
        case let .uri(uri): "\(name):\(uri)"
        case let .utc(instant): "\(name):\(ICalendarText.utc(instant))"
        case let .local(date, time):
            "\(name);TZID=\(timeZoneID):\(ICalendarText.localDateTime(date, time))"
        case let .date(date): "\(name);VALUE=DATE:\(ICalendarText.date(date))"
        case let .token(token): "\(name):\(token)"
        }
    }
}
