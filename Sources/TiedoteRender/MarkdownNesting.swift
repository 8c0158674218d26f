import TiedoteCore

/// The Markdown of users' files checked, before anything is rendered, for nesting deeper
/// than the renderers go (`MarkdownDocument.maximumNesting`), with the error placed in the file.
public enum MarkdownNesting {
    /// The error for an event whose description nests too deep, nil when it does not.
    public static func problem(in event: Event) -> Diagnostic? {
        MarkdownDocument(event.description).nestingProblem(from: event.position(of: "description"))
    }

    /// The error for an issue whose editorial text nests too deep, nil when it does not.
    public static func problem(in issue: Issue) -> Diagnostic? {
        MarkdownDocument(issue.body).nestingProblem(from: issue.position(of: "body"))
    }

    /// Every problem of an issue's editorial text and of its events' descriptions.
    public static func problems(in issue: Issue, events: [Event]) -> [Diagnostic] {
        [problem(in: issue)].compactMap { $0 } + events.compactMap(problem(in:))
    }
}
