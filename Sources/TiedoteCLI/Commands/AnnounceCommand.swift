import ArgumentParser
import TiedoteCore

/// `tiedote announce`: write a short announcement of one event for a quick channel.
struct AnnounceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Write a short announcement of one event for a quick channel."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'announce' is not built yet")
    }
}
