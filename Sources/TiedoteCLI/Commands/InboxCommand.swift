import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteInbox

/// `tiedote inbox`: read bounces, mailed unsubscribes and auto-replies, from IMAP or files.
struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Read bounces, mailed unsubscribes and automatic replies, and act on them.",
        discussion: """
            Reads the IMAP mailbox named in tiedote.yml (inbox.imap), or with --read local files: \
            .eml files, Maildir folders and mbox files. Hard bounces and unsubscribes are added to \
            Lists/suppressed.csv; soft bounces are counted in Sent/bounces.csv and suppressed after \
            inbox.soft_bounce_limit (3) different sends. An address on no list and in no signed token \
            is reported, never suppressed. Messages it did not understand are left as they are.
            """
    )

    /// The report's format.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, csv
    }

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Read these .eml files, Maildir folders or mbox files instead of IMAP.")
    var read: [String] = []

    @Flag(name: .long, help: "Classify and report only: change nothing, anywhere.")
    var dryRun = false

    @Option(name: .long, help: "text (default) or csv (source,address,kind,action).")
    var report: ReportFormat = .text

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let audience = try InboxAudience(workspace: workspace)
            var processor = try InboxProcessor(workspace: workspace, audience: audience, dryRun: dryRun)
            let output = InboxReport(format: report, console: console)
            output.start()
            if read.isEmpty {
                try IMAPInbox(workspace: workspace, console: console).run(processor: &processor, output: output)
            } else {
                let paths = read.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
                for message in try LocalMailbox.read(paths) {
                    output.rows(try processor.handle(message).rows)
                }
            }
            output.finish(dryRun: dryRun)
        }
    }
}

/// The report lines, as text or CSV, and the totals at the end.
final class InboxReport {
    let format: InboxCommand.ReportFormat
    let console: Console
    private var counts: [Finding.Kind: Int] = [:]
    private var messages = 0

    init(format: InboxCommand.ReportFormat, console: Console) {
        self.format = format
        self.console = console
    }

    func start() {
        if format == .csv { console.print(CSV.line(InboxRow.columns)) }
    }

    func rows(_ rows: [InboxRow]) {
        messages += 1
        for row in rows {
            counts[row.kind, default: 0] += 1
            let address = row.address.isEmpty ? "-" : row.address
            switch format {
            case .csv: console.print(CSV.line([row.source, row.address, row.kind.rawValue, row.action]))
            case .text: console.print("\(row.source)  \(address)  \(row.kind.rawValue)  \(row.action)")
            }
        }
    }

    func finish(dryRun: Bool) {
        let kinds = Finding.Kind.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let line = "\(counted(messages, "message")): \(kinds)" + (dryRun ? " (dry run: nothing changed)" : "")
        if format == .csv { console.detail(line) } else { console.print(line) }
    }
}
