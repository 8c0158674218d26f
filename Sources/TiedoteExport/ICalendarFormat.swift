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

    /// The `VTIMEZONE` for Europe/Helsinki: EU rule, changes at 01:00 UTC on the last Sunday
    /// of March and October (03:00 local in spring, 04:00 local summer time in autumn).
    public static let timeZoneLines = [
        "BEGIN:VTIMEZONE",
        "TZID:\(timeZoneID)",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0300",
        "TZNAME:EEST",
        "DTSTART:19700329T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0200",
        "TZNAME:EET",
        "DTSTART:19701025T040000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

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
