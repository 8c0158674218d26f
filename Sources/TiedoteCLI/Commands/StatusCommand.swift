import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteSend
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
            let header = JournalHeader(issue: month.description, list: list)
            let state = try SendRun.mail { try Journal.read(url, expecting: header) }
            let audience = try SendAudience(workspace: workspace, list: list)
            let listed = audience.addresses.map(\.key)
            // The list's members only: a journal line for an address no longer on the list (or
            // never on it) is counted apart, so "sent" can never pass "recipients".
            let members = Set(listed + audience.suppressedKeys)
            let pending = listed.filter { key in
                let entry = state[key]?.state
                return entry != .sent && entry != .failed
            }
            let failed = members.sorted().compactMap { key in state[key].map { (key, $0) } }.filter { $0.1.state == .failed }
            let uncertain = Set(state.possibleDuplicates + state.inFlight).filter(Set(listed).contains).sorted()
            let sent = listed.filter { state[$0]?.state == .sent }.count
            let others = state.entries.filter { !members.contains($0.key) }
            console.print("\(month) to \(list): \(workspace.displayPath("Sent/\(url.lastPathComponent)"))")
            console.print("recipients  \(listed.count)")
            console.print("sent        \(sent)")
            printRelays(listed, state: state, console: console)
            console.print("failed      \(failed.count)")
            console.print("pending     \(pending.count)")
            console.print("uncertain   \(uncertain.count)")
            let bounces = try BounceLog(workspace: workspace).figures(send: "\(month)/\(list)")
            console.print("bounced     \(bounces.hard) hard, \(bounces.soft) soft (reported later, read by tiedote inbox)")
            for group in ReplyGroup.groups(failed.map { ($0.0, $0.1.code, $0.1.text) }) {
                console.print("  \(group.reply) (\(group.keys.count))")
                for key in group.keys { console.print("  failed     \(key)") }
            }
            if !failed.isEmpty { console.print("  (send again with --retry-failed to try the failed ones again)") }
            let misjudged = SendRun.suppressedWithoutBadMailbox(state, workspace: workspace).filter { members.contains($0.key) }
            if !misjudged.isEmpty {
                console.print("  (\(misjudged.count) of them are in \(Workspace.suppressionFile) as bounced although the reply "
                    + "says nothing about the mailbox: remove their rows to reach them again)")
            }
            printPending(pending, state: state, console: console)
            for key in uncertain {
                let note = state[key]?.state == .attempting
                    ? "in flight when the last run stopped; the next run sends it again"
                    : "was in flight when a run stopped and was sent again: may have received two copies"
                console.print("  uncertain  \(key)  (\(note))")
            }
            if !others.isEmpty {
                let sentOthers = others.values.filter { $0.state == .sent }.count
                console.print("not on the list now: \(others.count) address(es) in the journal (sent \(sentOthers)), not counted above")
            }
            if state.damagedLines > 0 { console.print("damaged journal lines ignored: \(state.damagedLines)") }
        }
    }

    /// The sent recipients per relay, from the journal's relay field: one line each, none
    /// when no line names a relay (the outbox, `--to`, a journal older than the field).
    private func printRelays(_ listed: [String], state: JournalState, console: Console) {
        let byRelay = Self.sentByRelay(listed, state: state)
        guard byRelay.contains(where: { !$0.relay.isEmpty }) else { return }
        let width = byRelay.map(\.relay.count).max() ?? 0
        for (relay, count) in byRelay {
            if relay.isEmpty {
                console.print("  no relay named \(count) (sent before the journal named relays, or to the outbox)")
            } else {
                console.print("  via \(relay.padding(to: width))  \(count)")
            }
        }
    }

    /// How many of `keys` each relay sent, by relay name (sorted; "" for sent without a name).
    static func sentByRelay(_ keys: [String], state: JournalState) -> [(relay: String, count: Int)] {
        var counts: [String: Int] = [:]
        for key in keys {
            guard let entry = state[key], entry.state == .sent else { continue }
            counts[entry.relay, default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.map { (relay: $0.key, count: $0.value) }
    }

    /// The pending recipients: those the relay refused for a reason that says nothing about the
    /// address, grouped by reply, then a few of the rest (all with `--verbose`).
    private func printPending(_ pending: [String], state: JournalState, console: Console) {
        let refused = pending.compactMap { key in
            state[key].flatMap { $0.state == .deferred && $0.code >= 500 ? (key, $0.code, $0.text) : nil }
        }
        for group in ReplyGroup.groups(refused) {
            console.print("  held back by the relay's answer \(group.reply) (\(group.keys.count)); they stay pending")
        }
        // A long list owes thousands at first: name a few unless asked for all.
        let shown = global.verbose ? pending.count : min(pending.count, Self.pendingShown)
        for key in pending.prefix(shown) { console.print("  pending    \(key)") }
        if shown < pending.count { console.print("  … and \(pending.count - shown) more pending (--verbose lists them all)") }
    }
}
