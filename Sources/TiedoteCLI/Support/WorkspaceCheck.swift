import Foundation
import TiedoteCore

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
        guard let workspace = problems.take(Result { try Workspace.load(at: root, warnings: &warnings) }) else {
            return WorkspaceCheck(diagnostics: problems.items, summary: "")
        }
        problems.append(contentsOf: warnings)
        let summary = "\(workspace.events.count) events, \(workspace.issues.count) issues"
        return WorkspaceCheck(diagnostics: problems.items, summary: summary)
    }
}
