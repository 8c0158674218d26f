import ArgumentParser
import TiedoteCore

/// `tiedote rotation`: show who coordinates which month.
struct RotationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotation",
        abstract: "Show who coordinates which month."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'rotation' is not built yet")
    }
}
