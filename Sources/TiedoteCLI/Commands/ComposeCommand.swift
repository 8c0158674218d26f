import ArgumentParser
import TiedoteCore

/// `tiedote compose`: compose a month's newsletter into out/YYYY-MM/.
struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Compose a month's newsletter into out/YYYY-MM/."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'compose' is not built yet")
    }
}
