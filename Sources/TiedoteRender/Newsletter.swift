import Foundation
import TiedoteCore

/// One issue made ready to render for many recipients: templates parsed and issue-level
/// values built once, and each recipient's document spliced from a cached variant (see
/// `PersonalisedPieces`), so a recipient costs little more than copying bytes.
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

    /// Template file names inside `Templates/`.
    public enum File {
        /// The newsletter body.
        public static let body = "newsletter.md"
        /// The email shell.
        public static let layout = "layout.html"
        /// The plain-text part's frame (optional).
        public static let textLayout = "layout.txt"
    }

    /// The width of the plain-text part.
    public static let textWidth = 72

    /// The issue.
    public let issue: Issue
    /// The events of the issue's window, in start order.
    public let events: [Event]
    /// Who sends and signs it.
    public let coordinator: Coordinator
    private let body: Template
    private let layout: Template
    private let textLayout: Template?
    private let partials: [String: Template]
    private let shared: [String: TemplateValue]
    private let eventsByMunicipality: [Municipality: [TemplateValue]]
    private let variants = VariantCache<PersonalisedPieces?>()

    /// Prepares `issue` from templates already parsed.
    public init(
        issue: Issue, workspace: Workspace, body: Template, layout: Template, textLayout: Template? = nil,
        partials: [String: Template] = [:]
    ) throws {
        guard let coordinator = workspace.settings.coordinator(for: issue.month, override: issue.coordinator) else {
            throw Diagnostic.error(issue.position(of: "coordinator"),
                "no coordinator for \(issue.month): check rotation in tiedote.yml or set coordinator: in the issue")
        }
        self.issue = issue
        self.coordinator = coordinator
        events = workspace.events(for: issue)
        try Diagnostics(MarkdownNesting.problems(in: issue, events: events)).throwIfErrors()
        self.body = body
        self.layout = layout
        self.textLayout = textLayout
        self.partials = partials
        shared = NewsletterContext.issue(issue, events: events, coordinator: coordinator, network: workspace.settings.network)
        var local: [Municipality: [TemplateValue]] = [:]
        for event in events { local[event.municipality, default: []].append(
            NewsletterContext.event(event, website: workspace.settings.network.website)) }
        eventsByMunicipality = local
    }

    /// The full context one recipient's newsletter is rendered with; the layout also sees
    /// `content`, the body as HTML.
    public func context(for subscriber: Subscriber, unsubscribeURL: String) -> [String: TemplateValue] {
        context(Recipient(subscriber, unsubscribeURL: unsubscribeURL))
    }

    /// Renders the newsletter for one recipient, from the recipient's variant when it has
    /// been prepared and checked, else in full.
    public func render(for subscriber: Subscriber, unsubscribeURL: String) throws -> Rendered {
        let recipient = Recipient(subscriber, unsubscribeURL: unsubscribeURL)
        guard let pieces = try variants.value(for: recipient.variant, make: { try pieces(for: recipient) }) else {
            return try renderInFull(context(recipient))
        }
        return pieces.rendered(recipient, subject: issue.subject, preheader: issue.preheader ?? "")
    }

    /// Renders the newsletter for one recipient from the templates, with no caching.
    public func renderInFull(for subscriber: Subscriber, unsubscribeURL: String) throws -> Rendered {
        try renderInFull(context(for: subscriber, unsubscribeURL: unsubscribeURL))
    }

    /// `wrapFrame: false` leaves the text layout's own lines unwrapped, for variants: their
    /// lines are wrapped once the recipient's strings are in.
    private func renderInFull(_ context: [String: TemplateValue], wrapFrame: Bool = true) throws -> Rendered {
        let markdown = try body.render(.object(context), partials: partials, escaping: .markdown)
        let document = MarkdownDocument(markdown)
        if let tooDeep = document.tooDeep {
            // Each file is checked on its own; here the template's nesting adds to the text's.
            throw Diagnostic.error(
                SourcePosition(path: body.path),
                "the merged newsletter nests deeper than \(MarkdownDocument.maximumNesting) levels at its line \(tooDeep.line): "
                    + "the template's block quotes or lists add to those of the event descriptions or the editorial text put inside them; flatten one of them")
        }
        var page = context
        page[EmailLayout.contentName] = .string(document.html(styled: true))
        let html = try layout.render(.object(page), partials: partials, escaping: .html)
        return Rendered(
            subject: issue.subject, preheader: issue.preheader ?? "", html: html,
            text: try frame(document.plainText(width: Self.textWidth), context, wrap: wrapFrame), markdown: markdown)
    }

    /// The text part inside `layout.txt`, whose own lines are wrapped like the rest.
    private func frame(_ text: String, _ context: [String: TemplateValue], wrap: Bool) throws -> String {
        guard let textLayout else { return text }
        let marker = "qqTiedoteContentXqq"
        var page = context
        page[EmailLayout.contentName] = .string(marker)
        let framed = try textLayout.render(.object(page), partials: partials, escaping: .none)
        let content = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return (wrap ? TextWrap.lines(framed, width: Self.textWidth) : framed).replacingOccurrences(of: marker, with: content)
    }

    private func context(_ recipient: Recipient) -> [String: TemplateValue] {
        var values = shared
        values["recipient"] = NewsletterContext.recipient(
            name: recipient[.name], firstName: recipient[.firstName], email: recipient[.email],
            municipality: recipient.municipality, unsubscribeURL: recipient[.unsubscribeURL],
            localEvents: recipient.municipality.flatMap { eventsByMunicipality[$0] } ?? [])
        return values
    }

    /// The pieces of `recipient`'s variant: rendered with slot tokens for the recipient's
    /// strings, and kept only if splicing the recipient's strings into them gives exactly their
    /// full render (the text compared word by word, since spliced lines are wrapped again);
    /// nil when the variant must be rendered in full. Not cached: a caller that splices many
    /// recipients keeps them per variant (`VariantCache`), as `render(for:unsubscribeURL:)` does.
    public func pieces(for recipient: Recipient) throws -> PersonalisedPieces? {
        let tokens = Recipient(
            strings: PersonalisedPieces.Slot.allCases.map { recipient[$0].isEmpty ? "" : $0.token },
            municipality: recipient.municipality)
        let pieces = PersonalisedPieces(try renderInFull(context(tokens), wrapFrame: false), width: Self.textWidth)
        let spliced = pieces.rendered(recipient, subject: issue.subject, preheader: issue.preheader ?? "")
        let full = try renderInFull(context(recipient))
        // Compared as bytes: the same text either way, without String's Unicode-aware equality
        // and word splitting (once per variant, but 10% of a 1,000-recipient send's instructions).
        let words = { (text: String) in text.utf8.split(whereSeparator: { $0 == 32 || $0 == 10 }) }
        guard spliced.html.utf8.elementsEqual(full.html.utf8), spliced.markdown.utf8.elementsEqual(full.markdown.utf8),
            words(spliced.text).elementsEqual(words(full.text), by: { $0.elementsEqual($1) })
        else { return nil }
        return pieces
    }
}
