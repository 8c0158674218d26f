import ArgumentParser
import TiedoteCore

/// `tiedote export`: export events for the calendars: ical, menoinfo, kalenteri, jsonld.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export events for the calendars: ical, menoinfo, kalenteri, jsonld."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'export' is not built yet")
    }
}
