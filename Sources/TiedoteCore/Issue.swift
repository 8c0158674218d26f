/// One monthly newsletter issue, loaded from `Issues/YYYY-MM.md`.
public struct Issue: Sendable, Hashable, Codable, Identifiable {
    /// The month the issue is for (its file name).
    public var month: YearMonth
    /// The email subject.
    public var subject: String
    /// The hidden preview line shown after the subject in inboxes.
    public var preheader: String?
    /// A coordinator id that overrides the rotation for this issue.
    public var coordinator: String?
    /// First day of the event window (default: first day of the month).
    public var eventsFrom: LocalDate
    /// Last day of the event window (default: last day of the month).
    public var eventsTo: LocalDate
    /// The editorial text in Markdown.
    public var body: String
    /// Where each front-matter key stands, `"body"` for the text and `""` for the file.
    public var positions: [String: SourcePosition]

    /// Creates an issue.
    public init(
        month: YearMonth, subject: String, preheader: String? = nil, coordinator: String? = nil,
        eventsFrom: LocalDate? = nil, eventsTo: LocalDate? = nil, body: String = "",
        positions: [String: SourcePosition] = [:]
    ) {
        self.month = month
        self.subject = subject
        self.preheader = preheader
        self.coordinator = coordinator
        self.eventsFrom = eventsFrom ?? month.firstDay
        self.eventsTo = eventsTo ?? month.lastDay
        self.body = body
        self.positions = positions
    }

    /// `YYYY-MM`.
    public var id: String { month.description }

    /// The position of a front-matter key, falling back to the file's first line.
    public func position(of key: String) -> SourcePosition {
        positions[key] ?? positions[""] ?? SourcePosition(path: "Issues/\(id).md")
    }
}
