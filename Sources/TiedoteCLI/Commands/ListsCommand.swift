import ArgumentParser
import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteInbox

/// `tiedote lists`: import and inspect mailing lists.
struct ListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Import and inspect mailing lists.",
        subcommands: [ListsImportCommand.self, ListsStatsCommand.self]
    )
}

/// `tiedote lists import FILE --list NAME`: merge a spreadsheet CSV into a list.
struct ListsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge a spreadsheet CSV (Excel, Google Sheets, LibreOffice) into a list.",
        discussion: """
            Reads ';' or ',' separated files in UTF-8 (with or without BOM) or Windows-1252, with \
            headers in Finnish or English (sähköposti/email, nimi/name, etunimi + sukunimi, \
            kunta/municipality, kiinnostukset/interests, kieli/language, suostumus/consent_source, \
            suostumus_pvm/consented_at). Invalid rows are reported by line and written to \
            out/lists/NAME.rejects.csv; valid rows are kept. Suppressed addresses are not added.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The CSV file to import.")
    var file: String

    @Option(name: .long, help: "The list to merge into (Lists/NAME.csv); created when missing.")
    var list: String

    func validate() throws {
        do {
            try ListImport.validateListName(list)
        } catch let diagnostic as Diagnostic {
            throw ValidationError(diagnostic.message)
        }
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let report = try workspace.withLock(waiting: console.waitingForLock) {
                try ListImport.run(file: URL(fileURLWithPath: file), source: file, list: list, in: workspace)
            }
            console.report(report.notes)
            report.summary.forEach(console.print)
        }
    }
}

/// `tiedote lists stats [NAME] [--segment F=V]`: who is on a list, and how many bounced.
struct ListsStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count a list's subscribers by municipality, interest and language."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The list; all lists when left out.")
    var name: String?

    @Option(name: .long, help: "Count only FIELD=VALUE (municipality, interests, language); repeat to combine.")
    var segment: [String] = []

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let selection = try Segment(parsing: segment)
            let names = try name.map { [$0] } ?? workspace.listNames()
            let bounces = try BounceLog(workspace: workspace)
            if names.isEmpty {
                console.print("No lists yet: bring one in with `tiedote lists import FILE --list NAME`.")
            }
            for (index, list) in names.enumerated() {
                if index > 0 { console.print("") }
                try ListStats(list: list, in: workspace, segment: selection).lines.forEach(console.print)
                console.print(try Self.bounceLine(bounces, list: list, workspace: workspace))
            }
        }
    }

    /// How many of the list's addresses have bounced, from `Sent/bounces.csv` (`tiedote inbox`).
    static func bounceLine(_ log: BounceLog, list: String, workspace: Workspace) throws -> String {
        var addresses: Set<String> = []
        try workspace.forEachSubscriber(list: list) { addresses.insert($0.key) }
        let entries = log.entries.filter { addresses.contains($0.address) }
        let hard = Set(entries.filter { $0.kind == .hard }.map(\.address)).count
        let soft = Set(entries.filter { $0.kind == .soft }.map(\.address)).subtracting(entries.filter { $0.kind == .hard }.map(\.address)).count
        return "Bounces (\(BounceLog.path)): \(hard) hard, \(soft) soft only"
    }
}
