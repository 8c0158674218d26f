import TiedoteCore

/// The `ical` export: one RFC 5545 calendar of the events, for calendar apps to subscribe to.
public struct ICalendarExport: EventExport {
    /// One event, with the values the property table reads.
    public struct Entry: Sendable, Hashable {
        /// The event.
        public var event: Event
        /// `EVENT-ID@domain`, from the event's `id:` (or file name), so a rename keeps it.
        public var uid: String
        /// SEQUENCE, DTSTAMP and LAST-MODIFIED (see `CalendarRevisions`).
        public var revision: CalendarRevisions.Revision
        /// DTSTAMP and LAST-MODIFIED (Unix seconds).
        public var modified: Int { revision.stamp }
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
    /// What the feed last said about each event (`Sent/calendar.state`).
    public var revisions: CalendarRevisions
    /// The stamp a change seen by this export gets (Unix seconds); never used for an
    /// unchanged or never-seen event, so the same workspace gives the same feed.
    public var now: Int

    /// Creates the export.
    public init(settings: Settings, revisions: CalendarRevisions = CalendarRevisions(), now: Int) {
        self.settings = settings
        self.revisions = revisions
        self.now = now
    }

    /// The state after this export: each event's revision recorded.
    public func revised(_ events: [Event]) -> CalendarRevisions {
        var state = revisions
        for event in events {
            var ignored: [Diagnostic] = []
            guard let entry = entry(for: event, diagnostics: &ignored) else { continue }
            let (schedule, content) = Self.digests(entry)
            _ = state.revise(event.calendarID, schedule: schedule, content: content, now: now)
        }
        return state
    }

    /// Properties whose change makes a new SEQUENCE (RFC 5546 §2.1.4: time, place, status).
    static let scheduleProperties: Set<String> = ["DTSTART", "DTEND", "LOCATION", "STATUS"]
    /// Properties that describe the revision itself, left out of the digests.
    static let revisionProperties: Set<String> = ["DTSTAMP", "SEQUENCE", "LAST-MODIFIED"]

    /// Digests of the schedule lines and of the other content lines of an entry's VEVENT.
    static func digests(_ entry: Entry) -> (schedule: String, content: String) {
        var schedule: [String] = []
        var content: [String] = []
        for property in ICalendarFormat.eventProperties where !revisionProperties.contains(property.name) {
            guard let value = property.value(entry) else { continue }
            let line = ICalendarFormat.line(property.name, value)
            if scheduleProperties.contains(property.name) { schedule.append(line) } else { content.append(line) }
        }
        return (ContentDigest.of(schedule.joined(separator: "\n")), ContentDigest.of(content.joined(separator: "\n")))
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
        var entry = Entry(
            event: event, uid: "\(event.calendarID)@\(settings.network.domain)",
            revision: .init(sequence: 0, schedule: "", content: "", stamp: CalendarRevisions.unknownStamp),
            description: description, location: Self.location(of: event), url: url,
            categories: categories.filter { !$0.isEmpty })
        let (schedule, content) = Self.digests(entry)
        var state = revisions
        entry.revision = state.revise(event.calendarID, schedule: schedule, content: content, now: now)
        return entry
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
