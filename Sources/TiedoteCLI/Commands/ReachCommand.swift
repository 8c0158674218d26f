import ArgumentParser
import Foundation
import TiedoteAudience
import TiedoteCore

/// `tiedote reach`: events and subscribers per municipality of Keski-Suomi.
struct ReachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Events and subscribers per municipality of Keski-Suomi."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, svg
    }

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "First day (YYYY-MM-DD); default: 1 January of this year.")
    var from: String?

    @Option(name: .long, help: "Last day (YYYY-MM-DD); default: 31 December of this year.")
    var to: String?

    @Option(name: .long, help: "text (default), csv or svg.")
    var format: Format = .text

    @Option(name: .long, help: "Count only the subscribers of this list; repeat for several (default: all lists).")
    var list: [String] = []

    @Option(name: .long, help: "Write to this file (default: the terminal; out/reach.svg for svg; '-' for the terminal).")
    var out: String?

    @Flag(name: .long, help: "Replace an existing --out file that is not under out/ (never anything but a regular file).")
    var force = false

    func validate() throws {
        if let from, LocalDate(iso: from) == nil { throw ValidationError("--from must be a date like 2026-01-01") }
        if let to, LocalDate(iso: to) == nil { throw ValidationError("--to must be a date like 2026-12-31") }
        if let from = from.flatMap({ LocalDate(iso: $0) }), let to = to.flatMap({ LocalDate(iso: $0) }), to < from {
            throw ValidationError("--to must not be before --from")
        }
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let period = Reach.defaultPeriod(today: Helsinki.local(at: Clock.now()).date)
            let first = from.flatMap { LocalDate(iso: $0) } ?? period.from
            let last = to.flatMap { LocalDate(iso: $0) } ?? period.to
            let reach = try Reach(workspace: workspace, from: first, to: last, lists: list.isEmpty ? nil : list)
            let output: String
            switch format {
            case .text: output = reach.text
            case .csv: output = reach.csv
            case .svg: output = reach.svg
            }
            let destination = out ?? (format == .svg ? "\(Workspace.Folder.out)/reach.svg" : "-")
            if destination == "-" {
                ConsoleStream.output.write(output)
            } else {
                let url = out == nil ? workspace.url(destination) : URL(fileURLWithPath: destination)
                try OutputFile(workspace: workspace, force: force).write([(url, Data(output.utf8))])
                console.print("Wrote \(out == nil ? workspace.displayPath(destination) : destination)")
            }
        }
    }
}
