import ArgumentParser
import TiedoteCore

/// `tiedote lists`: import and inspect mailing lists.
struct ListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Import and inspect mailing lists."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'lists' is not built yet")
    }
}
