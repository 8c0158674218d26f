import ArgumentParser
import TiedoteAudience
import TiedoteCore

/// `tiedote unsubscribe`: unsubscribe an address or a token.
struct UnsubscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "Unsubscribe an address or a token.",
        discussion: "Adds the address to Lists/suppressed.csv: it is never mailed again, from any list."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The address to unsubscribe.")
    var address: String?

    @Option(name: .long, help: "A token from an unsubscribe link (verified with the signing secret).")
    var token: String?

    @Option(name: .long, help: "unsubscribed (default), bounced or complaint.")
    var reason: String = Suppression.Reason.unsubscribed.rawValue

    func validate() throws {
        guard (address == nil) != (token == nil) else {
            throw ValidationError("give either an ADDRESS or --token TOKEN")
        }
        guard let parsed = Suppression.Reason(rawValue: reason), parsed != .forgotten else {
            throw ValidationError("--reason must be unsubscribed, bounced or complaint (to erase an address, use `tiedote forget`)")
        }
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let reason = Suppression.Reason(rawValue: reason) ?? .unsubscribed
            var target = address ?? ""
            var listNote = ""
            let added: Bool
            if let token {
                do {
                    let outcome = try workspace.withLock(waiting: console.waitingForLock) {
                        try Unsubscribe(workspace: workspace).unsubscribe(token: token, in: workspace, reason: reason)
                    }
                    target = outcome.token.address
                    listNote = " (token for list \(outcome.token.list))"
                    added = outcome.added
                } catch let refusal as UnsubscribeToken.Refusal {
                    throw Diagnostic.error(nil, "token refused: \(refusal)")
                }
            } else {
                added = try workspace.withLock(waiting: console.waitingForLock) {
                    try workspace.suppress(target, reason: reason)
                }
            }
            if added {
                console.print("\(SuppressionSet.key(target)) unsubscribed\(listNote): it will not be mailed again (\(Workspace.suppressionFile))")
            } else {
                console.print("\(SuppressionSet.key(target)) was already on \(Workspace.suppressionFile); nothing to do")
            }
        }
    }
}
