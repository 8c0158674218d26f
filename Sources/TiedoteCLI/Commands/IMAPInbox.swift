import Foundation
import TiedoteCore
import TiedoteInbox
import TiedoteMail

/// `tiedote inbox` over IMAP: the mailbox from `inbox.imap` in tiedote.yml.
///
/// Remembers UIDVALIDITY and the last UID handled in `Sent/inbox-imap.state`, so a rerun
/// touches nothing twice. A message understood is marked `\Seen` and moved to
/// `inbox.processed_folder`; one not understood is left as it was (the `\Seen` that fetching
/// sets is taken off again).
struct IMAPInbox {
    let workspace: Workspace
    let console: Console

    /// The state file, inside the workspace.
    static let statePath = "Sent/inbox-imap.state"

    /// Reads new messages, acts on them and files away what was understood.
    func run(processor: inout InboxProcessor, output: InboxReport) throws {
        let settings = workspace.settings
        guard let imap = settings.inbox.imap else {
            throw Diagnostic.error(settings.position(of: "inbox"),
                "no mailbox to read: set inbox.imap.url in tiedote.yml, or give --read FILE… for local files")
        }
        let mailbox = try mail { try IMAPMailbox(try configuration(imap)) }
        let folder = settings.inbox.processedFolder
        var state = try IMAPState.read(workspace.url(Self.statePath), url: imap.url)
        let validity = try mail { try mailbox.uidValidity() }
        if let known = state.uidValidity, known != validity {
            throw Diagnostic.error(SourcePosition(path: workspace.displayPath(Self.statePath)),
                "the IMAP folder \(mailbox.configuration.mailbox) was renumbered (UIDVALIDITY \(known) → \(validity)): "
                + "Tiedote cannot tell which messages it already handled, so it touched nothing. Move the handled "
                + "messages out by hand, then delete \(Self.statePath) to read the folder again")
        }
        state.uidValidity = validity
        let listed = try mail { try mailbox.messages(after: state.lastUID) }
        if !listed.isEmpty, !processor.dryRun { try mail { try mailbox.ensureFolder(folder) } }
        for item in listed {
            try handle(item, mailbox: mailbox, validity: validity, folder: folder, processor: &processor, output: output)
            guard !processor.dryRun else { continue }
            state.lastUID = item.uid
            try state.write(workspace.url(Self.statePath))
        }
    }

    private func handle(
        _ item: IMAPMailbox.Listed, mailbox: IMAPMailbox, validity: Int, folder: String,
        processor: inout InboxProcessor, output: InboxReport
    ) throws {
        let source = String(item.uid)
        guard item.size <= mailbox.configuration.maxMessageSize else {
            output.rows([InboxRow(source: source, address: "", kind: .unknown,
                action: "none (\(item.size / 1_048_576) MB, over the \(mailbox.configuration.maxMessageSize / 1_048_576) MB read; left alone)")])
            return
        }
        let bytes = try mail { try mailbox.fetch(uid: item.uid, uidValidity: validity) }
        let (rows, understood) = try processor.handle(IncomingMessage(source: source, bytes: bytes))
        output.rows(rows)
        try mail {
            if understood && !processor.dryRun {
                try mailbox.setSeen(true, uid: item.uid)
                try mailbox.move(uid: item.uid, to: folder)
            } else if !item.seen {
                // Fetching set \Seen: a message not acted on stays as the reader left it.
                try mailbox.setSeen(false, uid: item.uid)
            }
        }
    }

    /// Runs `body`, turning a `MailError` into a diagnostic at the setting to look at.
    private func mail<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as MailError {
            let settings = workspace.settings
            let position: SourcePosition? = switch error.kind {
            case .configuration, .tls: settings.positions["inbox.imap.url"]
            case .authentication: settings.positions["inbox.imap.username"] ?? settings.positions["inbox.imap.url"]
            default: nil
            }
            // A broken connection ends the run between two messages: say that nothing is lost.
            let hint = error.kind == .connection
                ? "; the messages handled before are kept, run `tiedote inbox` again for the rest" : ""
            throw Diagnostic.error(position, error.message + hint)
        }
    }

    /// The libcurl settings, with the password read from where tiedote.yml says.
    private func configuration(_ imap: Settings.Inbox.IMAP) throws -> IMAPConfiguration {
        let password = try Secret.read(env: imap.passwordEnv, file: imap.passwordFile, workspace: workspace.root)
        if let username = imap.username, password == nil {
            let places = [imap.passwordEnv.map { "the environment variable \($0)" }, imap.passwordFile.map { "the file \($0)" }]
                .compactMap { $0 }
            let hint = places.isEmpty ? "name one with inbox.imap.password_env or password_file" : "set " + places.joined(separator: " or ")
            throw Diagnostic.error(workspace.settings.position(of: "inbox.imap.username"), "no IMAP password for \(username): \(hint)")
        }
        let caFile = imap.caFile.map { $0.hasPrefix("/") ? $0 : workspace.url($0).path }
        return IMAPConfiguration(url: imap.url, username: imap.username, password: password, caFile: caFile)
    }
}

/// What the last run got to: the mailbox, its UIDVALIDITY and the last UID handled.
struct IMAPState {
    var uidValidity: Int?
    var lastUID = 0
    var url: String

    /// The state for `url`; a fresh one when the file is missing or names another mailbox.
    static func read(_ file: URL, url: String) throws -> IMAPState {
        guard FileManager.default.fileExists(atPath: file.path) else { return IMAPState(url: url) }
        var fields: [String: String] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard fields["url"] == url else { return IMAPState(url: url) }
        return IMAPState(uidValidity: fields["uidvalidity"].flatMap { Int($0) }, lastUID: fields["last_uid"].flatMap { Int($0) } ?? 0, url: url)
    }

    /// Writes the state atomically.
    func write(_ file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = "url \(url)\nuidvalidity \(uidValidity ?? 0)\nlast_uid \(lastUID)\n"
        try AtomicFile.write(Data(text.utf8), to: file)
    }
}
