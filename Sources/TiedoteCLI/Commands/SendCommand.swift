import ArgumentParser
import TiedoteCore

/// `tiedote send`: send a month's newsletter to a mailing list.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a month's newsletter to a mailing list."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'send' is not built yet")
    }
}
