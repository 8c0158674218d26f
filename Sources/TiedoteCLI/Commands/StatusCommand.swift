import ArgumentParser
import TiedoteCore

/// `tiedote status`: show what the delivery journal says about a send.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the delivery journal says about a send."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'status' is not built yet")
    }
}
