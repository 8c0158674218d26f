import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteExport
import TiedoteSite

/// `tiedote site`: the public web site as static files.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Build the public web site: archive, Atom feed, event pages and .ics calendars.",
        discussion: """
            The archive holds every issue with a delivery journal in Sent/ (a real send has \
            begun), rendered from Templates/newsletter.md for no one in particular: no name, \
            address or unsubscribe link. The files can be put on any web host; \
            `tiedote serve` serves the same site with the subscription pages.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Where to write the site (default: out/site in the workspace).")
    var out: String?

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let site = try Self.build(workspace)
            console.report(site.diagnostics)
            let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? workspace.url("\(Workspace.Folder.out)/site")
            try site.write(to: folder)
            console.print("site: \(counted(site.issueCount, "issue")), \(counted(site.upcomingCount, "upcoming event")), "
                + "\(counted(site.files.count, "file")) in \(Workspace.shownPath(folder))")
        }
    }

    /// The site of `workspace` as of today in Helsinki; `serve` builds the same.
    static func build(_ workspace: Workspace) throws -> Site {
        try Site.build(
            workspace: workspace, today: Helsinki.local(at: Clock.now()).date,
            // The same revisions `export ical` keeps, read only: the feed's SEQUENCE and stamps
            // agree with the exported calendar.
            revisions: CalendarRevisions(
                parsing: (try? String(contentsOf: workspace.url(CalendarRevisions.path), encoding: .utf8)) ?? ""))
    }
}
