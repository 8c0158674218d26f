import Foundation
import TiedoteCore
import TiedoteExport
import TiedoteRender

/// The network's public web site made from the workspace: the archive of sent issues, the
/// Atom feed, the upcoming events with schema.org JSON-LD, and the `.ics` calendars.
///
/// Built in memory, so `tiedote serve` answers from it without writing files and
/// `tiedote site` writes the same bytes to a folder.
public struct Site: Sendable {
    /// Every file, in a stable order.
    public var files: [SiteFile]
    /// Warnings (and errors for events left out of a feed) found on the way.
    public var diagnostics: [Diagnostic]
    /// How many issues the archive holds.
    public var issueCount: Int
    /// How many upcoming events the event pages show.
    public var upcomingCount: Int

    /// Builds the site of `workspace`. `today` (Helsinki) decides which events are upcoming;
    /// `revisions` (the calendar state `tiedote export ical` keeps) stamps the calendars as that export does,
    /// so the same files give the same site.
    public static func build(workspace: Workspace, today: LocalDate, revisions: CalendarRevisions) throws -> Site {
        let network = workspace.settings.network.name
        let issues = PublishedIssues.list(in: workspace)
        var files = [SiteFile(path: "style.css", contentType: SiteFile.MediaType.css, text: SitePage.stylesheet)]
        var pages: [ArchivePage] = []
        for issue in issues {
            let page = try ArchivePage(issue: issue, workspace: workspace)
            pages.append(page)
            files.append(SiteFile(path: "\(issue.month)/index.html", contentType: SiteFile.MediaType.html,
                text: page.page.html(network: network)))
        }
        files.append(SiteFile(path: "index.html", contentType: SiteFile.MediaType.html,
            text: ArchivePage.index(pages).html(network: network)))
        files.append(SiteFile(path: "feed.atom", contentType: SiteFile.MediaType.atom,
            text: AtomFeed(settings: workspace.settings, pages: pages).xml()))
        let events = EventPages(workspace: workspace, today: today, revisions: revisions)
        let made = events.files()
        files += made.files
        return Site(files: files, diagnostics: made.diagnostics, issueCount: issues.count, upcomingCount: events.upcoming.count)
    }

    /// Writes every file under `folder`, each atomically; files of earlier builds that this
    /// build no longer has are left alone (a web host may hold others).
    public func write(to folder: URL) throws {
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: url, options: .atomic)
        }
    }
}
