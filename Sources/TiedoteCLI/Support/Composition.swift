import Foundation
import TiedoteCore
import TiedoteRender

/// A month's newsletter made ready to render: the issue, its templates and its sample recipient.
struct Composition {
    /// The issue being composed.
    let issue: Issue
    /// The prepared newsletter.
    let newsletter: Newsletter
    /// The workspace it comes from.
    let workspace: Workspace

    /// Gmail clips messages past 102 KB; warn well before.
    static let htmlWarningBytes = 90 * 1024

    /// The recipient `compose` and `check` render for.
    static let sampleRecipient = Subscriber(
        email: "esimerkki@example.fi", name: "Esimerkki Vastaanottaja", municipality: .jyvaskyla)

    /// Finds `Issues/MONTH.md` and prepares it.
    init(workspace: Workspace, month text: String) throws {
        guard let month = YearMonth(iso: text), let issue = workspace.issues[month] else {
            let known = workspace.issues.keys.sorted().map(\.description).joined(separator: ", ")
            throw Diagnostic.error(SourcePosition(path: workspace.displayPath("Issues/\(text).md")),
                "no issue file for \(text): create it (issues so far: \(known.isEmpty ? "none" : known))")
        }
        try self.init(workspace: workspace, issue: issue)
    }

    /// Prepares `issue`.
    init(workspace: Workspace, issue: Issue) throws {
        self.issue = issue
        self.workspace = workspace
        newsletter = try Newsletter.load(issue: issue, workspace: workspace)
    }

    /// The sample recipient's unsubscribe address (no real token: nobody receives it).
    var sampleUnsubscribeURL: String {
        let url = workspace.settings.unsubscribe.url ?? "https://example.fi/peru?t={token}"
        return url.replacingOccurrences(of: "{token}", with: "ESIMERKKI")
    }

    /// The newsletter as the sample recipient would get it.
    func renderSample() throws -> Newsletter.Rendered {
        try newsletter.render(for: Self.sampleRecipient, unsubscribeURL: sampleUnsubscribeURL)
    }

    /// A warning when the HTML is near the size at which Gmail clips it.
    func sizeWarnings(_ rendered: Newsletter.Rendered) -> [Diagnostic] {
        let bytes = rendered.html.utf8.count
        guard bytes > Self.htmlWarningBytes else { return [] }
        return [.warning(issue.position(of: ""),
            "the HTML is \(bytes / 1024) KB; Gmail clips messages over 102 KB: shorten the issue or its event texts")]
    }
}
