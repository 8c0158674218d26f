import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteInbox
import TiedoteMail

/// `tiedote status`: show what the delivery journal says about a send.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the delivery journal says about a send."
    )

    @OptionGroup var global: GlobalOptions

    /// How many pending addresses are named without `--verbose`.
    static let pendingShown = 20

    @Argument(help: "The issue's month, YYYY-MM.")
    var month: YearMonth

    @Option(name: .long, help: "The mailing list (Lists/NAME.csv).")
    var list: String


    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let url = Journal.url(workspace: workspace.root, issue: month.description, list: list)
            let state = try SendRun.mail { try Journal.read(url) }
            let audience = try SendAudience(workspace: workspace, list: list)
            let listed = audience.addresses.map(\.key)
            let pending = listed.filter { key in
                let entry = state[key]?.state
                return entry != .sent && entry != .failed
            }
            let failed = state.entries.filter { $0.value.state == .failed }.sorted { $0.key < $1.key }
            let uncertain = Set(state.possibleDuplicates + state.inFlight).sorted()
            let sent = state.entries.values.filter { $0.state == .sent }.count
            console.print("\(month) to \(list): \(workspace.displayPath("Sent/\(url.lastPathComponent)"))")
            console.print("recipients  \(listed.count)")
            console.print("sent        \(sent)")
            console.print("failed      \(failed.count)")
            console.print("pending     \(pending.count)")
            console.print("uncertain   \(uncertain.count)")
            let bounces = try BounceLog(workspace: workspace).figures(send: "\(month)/\(list)")
            console.print("bounced     \(bounces.hard) hard, \(bounces.soft) soft (reported later, read by tiedote inbox)")
            for (key, entry) in failed { console.print("  failed     \(key)  \(entry.code) \(entry.text)") }
            // A long list owes thousands at first: name a few unless asked for all.
            let shown = global.verbose ? pending.count : min(pending.count, Self.pendingShown)
            for key in pending.prefix(shown) { console.print("  pending    \(key)") }
            if shown < pending.count { console.print("  … and \(pending.count - shown) more pending (--verbose lists them all)") }
            for key in uncertain {
                let note = state[key]?.state == .attempting
                    ? "in flight when the last run stopped; the next run sends it again"
                    : "was in flight when a run stopped and was sent again: may have received two copies"
                console.print("  uncertain  \(key)  (\(note))")
            }
            if state.damagedLines > 0 { console.print("damaged journal lines ignored: \(state.damagedLines)") }
        }
    }
}
