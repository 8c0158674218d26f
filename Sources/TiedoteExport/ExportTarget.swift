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
    ///   - modified: when each event's file last changed (event id → Unix seconds), for the
    ///     iCalendar stamps.
    ///   - now: the stamp for events missing from `modified` (Unix seconds).
    public func export(_ events: [Event], settings: Settings, modified: [String: Int] = [:], now: Int) -> ExportReport {
        switch self {
        case .ical: ICalendarExport(settings: settings, modified: modified, now: now).export(events)
        case .menoinfo: MenoinfoExport(settings: settings).export(events)
        case .kalenteri: LinkedEventsExport(settings: settings).export(events)
        case .jsonld: SchemaOrgExport(settings: settings).export(events)
        }
    }
}
