import ArgumentParser
import TiedoteCore

/// `tiedote reach`: events and subscribers per municipality of Keski-Suomi.
struct ReachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Events and subscribers per municipality of Keski-Suomi."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'reach' is not built yet")
    }
}
