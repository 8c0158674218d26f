import ArgumentParser
import TiedoteCore

/// `tiedote check`: validate the whole workspace; exit 1 on any error.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the whole workspace; exit 1 on any error."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let console = Console(global)
        let report = WorkspaceCheck.run(at: global.workspaceURL)
        console.report(report.diagnostics)
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let warnings = report.diagnostics.count - errors
        if errors > 0 {
            console.print("check: \(errors) error(s), \(warnings) warning(s)")
            throw ExitCode(1)
        }
        console.print("check: ok — \(report.summary)\(warnings > 0 ? ", \(warnings) warning(s)" : "")")
    }
}
