import ArgumentParser
import TiedoteAudience
import TiedoteCore

/// `tiedote forget`: erase an address from every list (GDPR); keep only a salted hash.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase an address from every list (GDPR); keep only a salted hash.",
        discussion: """
            Removes the address from every list and rejects file, replaces it in the delivery \
            journals (Sent/) with a salted hash, deletes generated files in out/ that hold it, and \
            keeps only the hash in Lists/suppressed.csv so that no later import can bring it back. \
            Files of your own that still hold it are listed for you to edit.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The address to erase.")
    var address: String

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let report = try workspace.withLock(waiting: console.waitingForLock) { try Erasure.forget(address, in: workspace) }
            if report.removedRows.allSatisfy({ $0.rows == 0 || $0.path.hasSuffix(Workspace.suppressionFile) }) {
                console.print("The address was on no list.")
            }
            for (path, rows) in report.removedRows {
                console.print("Removed \(rows) row\(rows == 1 ? "" : "s") from \(path)")
            }
            for path in report.rewrittenJournals { console.print("Replaced the address by its hash in \(path)") }
            for path in report.deletedFiles { console.print("Deleted generated file \(path)") }
            console.report(report.remaining)
            console.print("Forgotten: only a salted hash is kept in \(Workspace.suppressionFile); no import can add the address back.")
            if !report.remaining.isEmpty {
                console.print("The address still appears in \(report.remaining.count) place(s) listed above; remove it there by hand.")
            }
        }
    }
}
