import ArgumentParser
import TiedoteCore

/// `tiedote unsubscribe`: unsubscribe an address or a token.
struct UnsubscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "Unsubscribe an address or a token."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'unsubscribe' is not built yet")
    }
}
