import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteExport

extension ExportTarget: ExpressibleByArgument {}

/// `tiedote export TARGET`: the events of a period for one calendar, as files.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export events for the calendars: ical, menoinfo, kalenteri, jsonld.",
        discussion: """
            Every event is checked against the calendar's rules first. \
            An event that breaks one is reported as path:line:column: error: … and left out; \
            the others are written, and the exit status is 1 if any was left out. \
            Without --month or --from/--to, every event is exported.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The calendar: \(ExportTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: ExportTarget

    @OptionGroup var period: PeriodOptions

    @Option(
        name: .long,
        help: "A folder, or a file ending in the target's extension (default: out/exports/PERIOD/).")
    var out: String?

    @Flag(name: .long, help: "Replace existing --out files outside out/ (never anything but regular files).")
    var force = false

    func validate() throws {
        _ = try chosenPeriod()
    }

    /// The first and last day asked for, nil for all events.
    func chosenPeriod() throws -> (first: LocalDate, last: LocalDate, name: String)? {
        guard let days = try period.days() else { return nil }
        // The output folder's name: the month as given, or FROM_TO.
        let name = period.month.flatMap { YearMonth(iso: $0)?.description } ?? "\(period.from ?? "")_\(period.to ?? "")"
        return (days.first, days.last, name)
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let period = try chosenPeriod()
            let events = period.map { workspace.events(from: $0.first, to: $0.last) } ?? workspace.events
            let now = Clock.now()
            let stateURL = workspace.url(CalendarRevisions.path)
            let previous = CalendarRevisions(parsing: (try? String(contentsOf: stateURL, encoding: .utf8)) ?? "")
            let report = target.export(events, settings: workspace.settings, revisions: previous, now: now)
            console.report(report.diagnostics)

            let destinations = self.destinations(
                workspace: workspace, period: period?.name ?? "all", names: report.files.map(\.name))
            try OutputFile(workspace: workspace, force: force).write(
                zip(report.files, destinations).map { ($1, Data($0.text.utf8)) })
            if target == .ical {
                // Recorded only when something changed, so exporting an unchanged workspace
                // changes nothing in it.
                let revised = ICalendarExport(settings: workspace.settings, revisions: previous, now: now).revised(events)
                if revised != previous { try AtomicFile.write(Data(revised.serialized.utf8), to: stateURL) }
            }
            let count = report.exported.count
            console.print("export \(target.rawValue): \(count) event\(count == 1 ? "" : "s")")
            for url in destinations { console.print("  \(Workspace.shownPath(url))") }
            if report.hasErrors {
                let left = report.leftOut.count
                console.print("\(left) event\(left == 1 ? " was" : "s were") left out: fix the errors above and export again")
                throw ExitCode(1)
            }
        }
    }

    /// Where each file goes: `--out` as a file when it ends with the first file's extension
    /// (other files beside it, same stem), else as a folder; by default
    /// `out/exports/PERIOD/` in the workspace.
    func destinations(workspace: Workspace, period: String, names: [String]) -> [URL] {
        guard let out else {
            let folder = workspace.url("\(Workspace.Folder.out)/exports/\(period)")
            return names.map { folder.appendingPathComponent($0) }
        }
        let url = URL(fileURLWithPath: out)
        guard let first = names.first, url.pathExtension == (first as NSString).pathExtension,
            !url.pathExtension.isEmpty
        else {
            return names.map { url.appendingPathComponent($0) }
        }
        let stem = url.deletingPathExtension()
        return names.map { stem.appendingPathExtension(($0 as NSString).pathExtension) }
    }
}
