import TiedoteCore
import TiedoteExport
import TiedoteRender

/// The event part of the site: `events/index.html` (upcoming events with their schema.org
/// JSON-LD from the `jsonld` export), `events/ID.ics` for every event (old newsletters keep
/// working links) and `events.ics`, the upcoming ones as one calendar to subscribe to (both
/// from the `ical` export).
struct EventPages: Sendable {
    /// The workspace.
    let workspace: Workspace
    /// Events that end today or later, in start order.
    let upcoming: [Event]
    /// Event id → Unix seconds, for the calendars' stamps.
    let revisions: CalendarRevisions

    /// Picks the events that end on `today` (Helsinki) or later.
    init(workspace: Workspace, today: LocalDate, revisions: CalendarRevisions) {
        self.workspace = workspace
        self.revisions = revisions
        upcoming = workspace.events.filter { $0.lastDate >= today }
    }

    /// The files, and what the exports said about the events.
    func files() -> (files: [SiteFile], diagnostics: [Diagnostic]) {
        // Never the clock: an event the revisions do not know yet gets their fixed first stamp,
        // so two builds of the same workspace give the same files.
        let ical = ICalendarExport(settings: workspace.settings, revisions: revisions, now: 0)
        var files: [SiteFile] = []
        var diagnostics: [Diagnostic] = []
        for event in workspace.events {
            let report = ical.export([event])
            if let file = report.files.first, report.exported == [event.id] {
                files.append(SiteFile(path: "events/\(event.id).ics", contentType: SiteFile.MediaType.calendar, text: file.text))
            }
        }
        let all = ical.export(upcoming)
        diagnostics += all.diagnostics
        if let file = all.files.first {
            files.append(SiteFile(path: "events.ics", contentType: SiteFile.MediaType.calendar, text: file.text))
        }
        let jsonld = SchemaOrgExport(settings: workspace.settings).export(upcoming)
        diagnostics += jsonld.diagnostics
        let script = jsonld.files.first.map { "<script type=\"application/ld+json\">\n\($0.text)</script>\n" } ?? ""
        let page = SitePage(title: "Tapahtumat", body: body(calendars: Set(files.map(\.path))), root: "../", head: script)
        files.append(SiteFile(path: "events/index.html", contentType: SiteFile.MediaType.html,
            text: page.html(network: workspace.settings.network.name)))
        return (files, diagnostics)
    }

    /// The list of upcoming events; an event whose `.ics` could not be made gets no calendar link.
    private func body(calendars: Set<String>) -> String {
        var html = "<h1>Tulevat tapahtumat</h1>\n"
        html += "<p>Tilaa kaikki tulevat tapahtumat kalenteriisi: <a href=\"../events.ics\">events.ics</a> "
            + "(Google-kalenterissa ja Outlookissa ”Lisää kalenteri verkko-osoitteesta”).</p>\n"
        guard !upcoming.isEmpty else { return html + "<p>Tulevia tapahtumia ei ole vielä ilmoitettu.</p>\n" }
        html += "<ul class=\"events\">\n"
        for event in upcoming {
            let status = FinnishText.status(event.status)
            html += "<li id=\"\(event.id.markupEscaped)\"><h2>\(status.isEmpty ? "" : "\(status.markupEscaped): ")\(event.title.markupEscaped)</h2>\n"
            html += "<p class=\"meta\">\(FinnishText.when(event).markupEscaped) · \(FinnishText.place(event).markupEscaped)</p>\n"
            html += "<p>\(event.short.markupEscaped)</p>\n<p>"
            html += "Hinta: \((event.isFree ? "Maksuton" : event.price ?? "").markupEscaped)"
            if let link = event.registration, link.lowercased().hasPrefix("https://") || link.lowercased().hasPrefix("http://") {
                html += " · <a href=\"\(link.markupEscaped)\">Ilmoittaudu</a>"
            }
            if calendars.contains("events/\(event.id).ics") {
                html += " · <a href=\"\(event.id.markupEscaped).ics\">Lisää kalenteriin</a>"
            }
            html += "</p></li>\n"
        }
        return html + "</ul>\n"
    }
}
