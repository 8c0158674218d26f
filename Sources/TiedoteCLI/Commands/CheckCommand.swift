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
        throw ValidationError("'check' is not built yet")
    }
}
