import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteSend
import TiedoteMail
import TiedoteRender

/// A month's newsletter made ready to render: the issue, its templates and its sample recipient.
struct Composition {
    /// The issue being composed.
    let issue: Issue
    /// The prepared newsletter.
    let newsletter: Newsletter
    /// The workspace it comes from.
    let workspace: Workspace
    /// Unsubscribe links for the sample: real when the workspace has a usable secret, else
    /// placeholders (`Unsubscribe.previewToken`).
    let sampleUnsubscribe: Unsubscribe
    /// Why the sample's links are placeholders, when they are.
    let previewWarning: Diagnostic?

    /// Gmail clips messages past 102 KB; warn well before.
    static let htmlWarningBytes = 90 * 1024

    /// The recipient `compose` and `check` render for.
    static let sampleRecipient = Subscriber(
        email: "esimerkki@example.fi", name: "Esimerkki Vastaanottaja", municipality: .jyvaskyla)

    /// Finds `Issues/MONTH.md` and prepares it.
    init(workspace: Workspace, month: YearMonth) throws {
        guard let issue = workspace.issues[month] else {
            let known = workspace.issues.keys.sorted().map(\.description).joined(separator: ", ")
            throw Diagnostic.error(SourcePosition(path: workspace.displayPath("Issues/\(month).md")),
                "no issue file for \(month): create it (issues so far: \(known.isEmpty ? "none" : known))")
        }
        try self.init(workspace: workspace, issue: issue)
    }

    /// Prepares `issue`.
    init(workspace: Workspace, issue: Issue) throws {
        self.issue = issue
        self.workspace = workspace
        newsletter = try Newsletter.load(issue: issue, workspace: workspace)
        (sampleUnsubscribe, previewWarning) = Self.previewUnsubscribe(workspace: workspace)
    }

    /// The list the sample is composed for: the first in `tiedote.yml`.
    var sampleList: String { workspace.settings.lists.keys.sorted().first ?? "members" }

    /// Unsubscribe links for a preview (`compose`, `check`, `send --dry-run`): signed with the
    /// workspace's secret when it has a usable one; else placeholders that say ESIKATSELU in
    /// every link, and a warning that says why (nobody receives a preview, but a copy of it
    /// must never pass for the real thing).
    static func previewUnsubscribe(workspace: Workspace) -> (unsubscribe: Unsubscribe, warning: Diagnostic?) {
        let settings = workspace.settings.unsubscribe
        do {
            return (try Unsubscribe(workspace: workspace), nil)
        } catch {
            let preview = Unsubscribe.preview(settings: settings)
            guard settings.url != nil || settings.mailto != nil else { return (preview, nil) }
            let diagnostic = error as? Diagnostic
            let position = diagnostic?.position ?? workspace.settings.position(of: "unsubscribe")
            let reason = diagnostic?.message ?? "the unsubscribe signing secret could not be read: \(error)"
            return (preview, .warning(position,
                "\(reason); this preview's unsubscribe links are placeholders (\(Unsubscribe.previewToken)), "
                    + "and send refuses to send until the secret is set"))
        }
    }

    /// The newsletter as the sample recipient would get it.
    func renderSample() throws -> Newsletter.Rendered {
        let url = sampleUnsubscribe.unsubscribeURL(for: Self.sampleRecipient, list: sampleList) ?? ""
        return try newsletter.render(for: Self.sampleRecipient, unsubscribeURL: url)
    }

    /// The sample as the wire bytes of an email (`newsletter.eml`).
    func sampleMessage() throws -> [UInt8] {
        let plan = try SendPlan(
            workspace: workspace, newsletter: newsletter, listName: sampleList, date: Clock.now(), unsubscribe: sampleUnsubscribe)
        let bytes = try SendRun.mail {
            try plan.message(for: Self.sampleRecipient, address: MailAddress(Self.sampleRecipient.email)).encoded()
        }
        guard previewWarning != nil else { return bytes }
        // Headers may come in any order: one more in front marks the file itself.
        return Array("X-Tiedote-Preview: \(Unsubscribe.previewToken) (no signing secret)\r\n".utf8) + bytes
    }

    /// A warning when the HTML is near the size at which Gmail clips it.
    func sizeWarnings(_ rendered: Newsletter.Rendered) -> [Diagnostic] {
        let bytes = rendered.html.utf8.count
        guard bytes > Self.htmlWarningBytes else { return [] }
        return [.warning(issue.position(of: ""),
            "the HTML is \(bytes / 1024) KB; Gmail clips messages over 102 KB: shorten the issue or its event texts")]
    }
}
