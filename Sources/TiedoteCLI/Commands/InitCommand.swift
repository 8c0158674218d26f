import ArgumentParser
import TiedoteCore

/// `tiedote init`: create a fresh workspace folder.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a fresh workspace folder."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'init' is not built yet")
    }
}
