import Foundation
import TiedoteCore
import TiedoteInbox

/// `tiedote inbox` over IMAP: the mailbox from `inbox.imap` in tiedote.yml.
struct IMAPInbox {
    let workspace: Workspace
    let console: Console

    /// Reads new messages, acts on them and files away what was understood.
    func run(processor: inout InboxProcessor, output: InboxReport) throws {
        guard workspace.settings.inbox.imap != nil else {
            throw Diagnostic.error(workspace.settings.position(of: "inbox"),
                "no mailbox to read: set inbox.imap.url in tiedote.yml, or give --read FILE… for local files")
        }
        throw Diagnostic.error(workspace.settings.position(of: "inbox.imap.url"), "reading over IMAP is not built yet; use --read")
    }
}
