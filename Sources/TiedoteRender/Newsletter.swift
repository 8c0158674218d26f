import TiedoteCore

/// One issue made ready to render for many recipients: templates parsed and issue-level
/// values built once, so each recipient costs only the merge and the Markdown rendering.
public struct Newsletter: Sendable {
    /// What one recipient gets.
    public struct Rendered: Sendable, Hashable {
        /// The subject line.
        public var subject: String
        /// The hidden preview text.
        public var preheader: String
        /// The full HTML document (layout applied).
        public var html: String
        /// The plain-text part.
        public var text: String
        /// The merged Markdown the two parts were made from.
        public var markdown: String
    }

    /// The issue.
    public let issue: Issue
    /// The events of the issue's window, in start order.
    public let events: [Event]
    /// Who sends and signs it.
    public let coordinator: Coordinator
    private let body: Template
    private let layout: Template
    private let partials: [String: Template]
    private let shared: [String: TemplateValue]
    private let eventsByMunicipality: [Municipality: [TemplateValue]]

    /// Template file names inside `Templates/`.
    public enum File {
        /// The newsletter body.
        public static let body = "newsletter.md"
        /// The email shell.
        public static let layout = "layout.html"
    }

    /// Prepares `issue` from templates already parsed.
    public init(
        issue: Issue, workspace: Workspace, body: Template, layout: Template, partials: [String: Template] = [:]
    ) throws {
        guard let coordinator = workspace.settings.coordinator(for: issue.month, override: issue.coordinator) else {
            throw Diagnostic.error(issue.position(of: "coordinator"),
                "no coordinator for \(issue.month): check rotation in tiedote.yml or set coordinator: in the issue")
        }
        self.issue = issue
        self.coordinator = coordinator
        events = workspace.events(for: issue)
        self.body = body
        self.layout = layout
        self.partials = partials
        shared = NewsletterContext.issue(issue, events: events, coordinator: coordinator, network: workspace.settings.network)
        var local: [Municipality: [TemplateValue]] = [:]
        for event in events { local[event.municipality, default: []].append(NewsletterContext.event(event)) }
        eventsByMunicipality = local
    }

    /// The full context one recipient's newsletter is rendered with; the layout also sees
    /// `content`, the body as HTML.
    public func context(for subscriber: Subscriber, unsubscribeURL: String) -> [String: TemplateValue] {
        var values = shared
        let local = subscriber.municipality.flatMap { eventsByMunicipality[$0] } ?? []
        values["recipient"] = NewsletterContext.recipient(subscriber, unsubscribeURL: unsubscribeURL, localEvents: local)
        return values
    }

    /// Renders the newsletter for one recipient.
    public func render(for subscriber: Subscriber, unsubscribeURL: String) throws -> Rendered {
        let context = context(for: subscriber, unsubscribeURL: unsubscribeURL)
        let markdown = try body.render(.object(context), partials: partials, escaping: .markdown)
        let document = MarkdownDocument(markdown)
        var page = context
        page["content"] = .string(document.html(styled: true))
        let html = try layout.render(.object(page), partials: partials, escaping: .html)
        return Rendered(
            subject: issue.subject, preheader: issue.preheader ?? "", html: html,
            text: document.plainText(width: 72), markdown: markdown)
    }
}
