import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteExport
import TiedoteRender
import TiedoteSend

/// Everything `check` looks at: settings, events, issues, templates and lists, all problems
/// in one run.
struct WorkspaceCheck {
    /// Every problem found, errors and warnings.
    var diagnostics: [Diagnostic]
    /// A one-line count of what was checked.
    var summary: String

    /// Checks the workspace at `root`.
    static func run(at root: URL) -> WorkspaceCheck {
        var problems = Diagnostics()
        var warnings: [Diagnostic] = []
        let workspace = problems.take(Result { try Workspace.load(at: root, warnings: &warnings) })
        let templates = problems.take(Result { try TemplateSet.load(root: root) })
        problems.append(contentsOf: templates?.unknownNames() ?? [])
        if let templates, let settings = workspace?.settings {
            let context = Announcement.context(for: NewsletterContext.specimenEvent, settings: settings)
            for channel in AnnounceChannel.allCases {
                let name = String(channel.templatePath.dropFirst("Templates/".count).dropLast(".md".count))
                problems.append(contentsOf: templates.partials[name]?.unknownNames(in: context) ?? [])
            }
        }
        guard let workspace else {
            return WorkspaceCheck(diagnostics: unique(problems.items), summary: "")
        }
        problems.append(contentsOf: warnings)
        problems.append(contentsOf: workspace.checkLists())
        problems.append(contentsOf: workspace.events.compactMap(MarkdownNesting.problem(in:)))
        problems.append(contentsOf: workspace.issues.values.compactMap(MarkdownNesting.problem(in:)))
        // A secret that is there but too short: send would refuse it (a missing one is this
        // machine's business, and send says what to set).
        _ = problems.take(Result { try Unsubscribe.secret(workspace: workspace) })
        let listNames = Set(workspace.settings.lists.keys).union((try? workspace.listNames()) ?? [])
        for name in listNames.sorted() {
            _ = problems.take(Result { try SendPlan.checkLinkLengths(settings: workspace.settings, listName: name) })
        }
        for issue in workspace.issues.values.sorted(by: { $0.month < $1.month }) {
            _ = problems.take(Result {
                let composition = try Composition(workspace: workspace, issue: issue)
                problems.append(contentsOf: composition.sizeWarnings(try composition.renderSample()))
                // The whole sample message, headers and all, as send would write it.
                _ = try composition.sampleMessage()
            })
        }
        let summary = "\(counted(workspace.events.count, "event")), \(counted(workspace.issues.count, "issue"))"
        return WorkspaceCheck(diagnostics: unique(problems.items), summary: summary)
    }

    /// Each problem once: a template error shows up in every issue that uses the template.
    private static func unique(_ items: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return items.filter { seen.insert($0).inserted }
    }
}
