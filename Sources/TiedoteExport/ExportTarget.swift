import TiedoteCore

/// The calendars `tiedote export` writes for.
public enum ExportTarget: String, Sendable, Hashable, CaseIterable {
    /// iCalendar feed (`events.ics`).
    case ical
    /// Menoinfo submission (`menoinfo.csv`, `menoinfo.txt`).
    case menoinfo
    /// The regional calendar, Linked Events JSON (`kalenteri.json`).
    case kalenteri
    /// schema.org JSON-LD for web pages (`events.jsonld`).
    case jsonld

    /// The names of the files the target writes.
    public var fileNames: [String] {
        switch self {
        case .ical: [ICalendarExport.fileName]
        case .menoinfo: [MenoinfoExport.csvFileName, MenoinfoExport.textFileName]
        case .kalenteri: [LinkedEventsExport.fileName]
        case .jsonld: [SchemaOrgExport.fileName]
        }
    }

    /// Checks `events` against the target's rules and makes its files from those that pass.
    ///
    /// - Parameters:
    ///   - revisions: what the iCalendar feed last said about each event (`Sent/calendar.state`).
    ///   - now: the present (Unix seconds): the stamp of an iCalendar change, the day the
    ///     schema.org offers are valid from, and the line past which the regional calendar
    ///     refuses an event.
    public func export(
        _ events: [Event], settings: Settings, revisions: CalendarRevisions = CalendarRevisions(), now: Int
    ) -> ExportReport {
        switch self {
        case .ical: ICalendarExport(settings: settings, revisions: revisions, now: now).export(events)
        case .menoinfo: MenoinfoExport(settings: settings).export(events)
        case .kalenteri: LinkedEventsExport(settings: settings, now: now).export(events)
        case .jsonld: SchemaOrgExport(settings: settings, now: now).export(events)
        }
    }
}
