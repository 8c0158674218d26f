import ArgumentParser
import TiedoteCore

/// `tiedote rotation`: who coordinates which month.
struct RotationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotation",
        abstract: "Show who coordinates which month."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "How many months to show, from this month on.")
    var months = 12

    @Option(name: .long, help: "The first month to show (YYYY-MM); default: this month.")
    var from: YearMonth?

    func validate() throws {
        guard months >= 1 else { throw ValidationError("--months must be at least 1") }
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let first = from ?? Clock.currentMonth()
            for offset in 0..<months {
                let month = first.adding(months: offset)
                let override = workspace.issues[month]?.coordinator
                guard let coordinator = workspace.settings.coordinator(for: month, override: override) else { continue }
                let note = override == nil ? "" : "  (issue file overrides the rotation)"
                let name = "\(FinnishText.monthName(month.month)) \(month.year)"
                console.print("\(month)  \(name.padding(to: 15)) \(coordinator.name)\(note)")
            }
        }
    }
}
