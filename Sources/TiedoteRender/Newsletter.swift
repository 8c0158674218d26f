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
    private let variants = VariantCache()

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
        self.body = body
        self.layout = layout
        self.textLayout = textLayout
        self.partials = partials
        shared = NewsletterContext.issue(issue, events: events, coordinator: coordinator, network: workspace.settings.network)
        var local: [Municipality: [TemplateValue]] = [:]
        for event in events { local[event.municipality, default: []].append(NewsletterContext.event(event)) }
        eventsByMunicipality = local
    }

    /// The full context one recipient's newsletter is rendered with; the layout also sees
    /// `content`, the body as HTML.
    public func context(for subscriber: Subscriber, unsubscribeURL: String) -> [String: TemplateValue] {
        context(PersonalisedPieces.values(subscriber, unsubscribeURL), municipality: subscriber.municipality)
    }

    /// Renders the newsletter for one recipient, from the recipient's variant when it has
    /// been prepared and checked, else in full. `markdown: false` leaves `Rendered.markdown`
    /// empty when a variant is used: a send needs only the two parts.
    public func render(for subscriber: Subscriber, unsubscribeURL: String, markdown: Bool = true) throws -> Rendered {
        let values = PersonalisedPieces.values(subscriber, unsubscribeURL)
        let variant = PersonalisedPieces.Variant(values, municipality: subscriber.municipality)
        let pieces = try variants.pieces(for: variant) {
            try prepare(checkedAgainst: values, municipality: subscriber.municipality)
        }
        guard let pieces else { return try renderInFull(context(values, municipality: subscriber.municipality)) }
        return pieces.splice(values, subject: issue.subject, preheader: issue.preheader ?? "", markdown: markdown)
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

    private func context(
        _ strings: [PersonalisedPieces.Slot: String], municipality: Municipality?
    ) -> [String: TemplateValue] {
        var values = shared
        values["recipient"] = NewsletterContext.recipient(
            name: strings[.name, default: ""], firstName: strings[.firstName, default: ""],
            email: strings[.email, default: ""], municipality: municipality,
            unsubscribeURL: strings[.unsubscribeURL, default: ""],
            localEvents: municipality.flatMap { eventsByMunicipality[$0] } ?? [])
        return values
    }

    /// Renders a variant with slot tokens for the recipient's strings, and keeps it only if
    /// splicing the first recipient's strings into it gives exactly their full render (the
    /// text compared word by word, since spliced lines are wrapped again).
    private func prepare(
        checkedAgainst values: [PersonalisedPieces.Slot: String], municipality: Municipality?
    ) throws -> PersonalisedPieces? {
        var tokens: [PersonalisedPieces.Slot: String] = [:]
        for slot in PersonalisedPieces.Slot.allCases where !values[slot, default: ""].isEmpty {
            tokens[slot] = slot.token
        }
        let pieces = PersonalisedPieces(
            try renderInFull(context(tokens, municipality: municipality), wrapFrame: false), width: Self.textWidth)
        let spliced = pieces.splice(values, subject: issue.subject, preheader: issue.preheader ?? "")
        let full = try renderInFull(context(values, municipality: municipality))
        let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        guard spliced.html == full.html, spliced.markdown == full.markdown, words(spliced.text) == words(full.text)
        else { return nil }
        return pieces
    }
}
