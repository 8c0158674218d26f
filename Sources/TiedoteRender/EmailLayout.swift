/// The email shell (`Templates/layout.html`) put around a newsletter's HTML body.
public struct EmailLayout: Sendable {
    /// The name the content goes in: the layout inserts it with `{{{content}}}`.
    public static let contentName = "content"

    /// The parsed layout, rendered with HTML escaping.
    public let template: Template

    /// Wraps a parsed layout template.
    public init(template: Template) {
        self.template = template
    }

    /// The full HTML document: `contentHTML` as `{{{content}}}`, and every other name
    /// (subject, preheader, network, coordinator, recipient, …) from `context`.
    /// Throws a `Diagnostic` at the layout's tag for a name the context lacks.
    public func render(contentHTML: String, context: TemplateValue) throws -> String {
        var fields: [String: TemplateValue] = [:]
        if case .object(let contextFields) = context { fields = contextFields }
        fields[Self.contentName] = .string(contentHTML)
        return try template.render(.object(fields), escaping: .html, strict: true)
    }
}
