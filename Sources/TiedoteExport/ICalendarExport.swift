import TiedoteCore

/// The `ical` export: one RFC 5545 calendar of the events, for calendar apps to subscribe to.
public struct ICalendarExport: EventExport {
    /// One event, with the values the property table reads.
    public struct Entry: Sendable, Hashable {
        /// The event.
        public var event: Event
        /// `EVENT-ID@domain`.
        public var uid: String
        /// When the event's file last changed (Unix seconds): DTSTAMP and LAST-MODIFIED.
        public var modified: Int
        /// The short description and the plain-text description.
        public var description: String
        /// Venue, address and municipality.
        public var location: String
        /// The event's link, when it is a usable http(s) URL.
        public var url: String?
        /// The category, then tags.
        public var categories: [String]
    }

    /// The network's settings (name, domain).
    public var settings: Settings
    /// When each event's file last changed (event id → Unix seconds).
    public var modified: [String: Int]
    /// The stamp for events whose file time is unknown (Unix seconds).
    public var now: Int

    /// Creates the export. DTSTAMP and LAST-MODIFIED come from `modified`, so the same files
    /// give the same feed; `now` stands in only for events missing from it.
    public init(settings: Settings, modified: [String: Int] = [:], now: Int) {
        self.settings = settings
        self.modified = modified
        self.now = now
    }

    /// The file name the feed is written to.
    public static let fileName = "events.ics"

    /// Builds the VEVENT's values; only warnings are possible (a time that does not exist, a non-web link).
    public func entry(for event: Event, diagnostics: inout [Diagnostic]) -> Entry? {
        if let time = event.start.time, !Self.exists(event.start.date, time) {
            diagnostics.append(
                .warning(
                    event.position(of: "start"),
                    "\(event.start.date) \(time) does not exist in Helsinki (clocks go forward an hour); calendars will show it an hour later"
                ))
        }
        var url: String?
        if let link = event.registration?.trimmingSpaces, !link.isEmpty {
            if WebLink.isHTTP(link) {
                url = link
            } else {
                diagnostics.append(
                    .warning(
                        event.position(of: "registration"),
                        "'\(link)' is not an http(s) link; the calendar entry gets no URL"))
            }
        }
        var description = event.short.trimmingSpaces
        let body = EventText.plain(event.description)
        if !body.isEmpty { description += description.isEmpty ? body : "\n\n" + body }
        var categories = [event.category]
        for tag in event.tags where !categories.contains(where: { $0.lowercased() == tag.lowercased() }) {
            categories.append(tag)
        }
        return Entry(
            event: event, uid: "\(event.id)@\(settings.network.domain)", modified: modified[event.id] ?? now,
            description: description, location: Self.location(of: event), url: url,
            categories: categories.filter { !$0.isEmpty })
    }

    /// `events.ics`.
    public func files(for entries: [Entry]) -> [ExportFile] {
        [ExportFile(name: Self.fileName, text: calendar(entries))]
    }

    /// The whole calendar, folded, with CRLF line ends.
    public func calendar(_ entries: [Entry]) -> String {
        var lines = ["BEGIN:VCALENDAR"]
        lines += ICalendarFormat.calendarLines(networkName: settings.network.name)
        lines += ICalendarFormat.timeZoneLines
        for entry in entries {
            lines.append("BEGIN:VEVENT")
            for property in ICalendarFormat.eventProperties {
                if let value = property.value(entry) {
                    lines.append(ICalendarFormat.line(property.name, value))
                }
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map { ICalendarText.fold($0) + ICalendarText.lineEnd }.joined()
    }

    /// `Villa Rana, Street 1, 40100 Jyväskylä`: the municipality is added only when the
    /// address does not already end with it.
    static func location(of event: Event) -> String {
        var parts = [event.venue.trimmingSpaces]
        if let address = event.address?.trimmingSpaces, !address.isEmpty { parts.append(address) }
        let postal = PostalAddress(address: event.address, municipality: event.municipality)
        if postal.postalCode == nil || postal.locality != event.municipality.rawValue {
            parts.append(event.municipality.rawValue)
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// False for a wall-clock time in the hour skipped when summer time begins.
    static func exists(_ date: LocalDate, _ time: LocalTime) -> Bool {
        let local = Helsinki.local(at: Helsinki.instant(date, time))
        return local.date == date && local.time == time
    }
}
