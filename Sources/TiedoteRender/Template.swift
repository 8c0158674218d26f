import TiedoteCore

/// A value a template can show or go through: what a newsletter's context is made of.
public indirect enum TemplateValue: Sendable, Hashable {
    /// Text, escaped where it lands unless inserted with `{{{…}}}`.
    case string(String)
    /// A flag for `{{#…}}` / `{{^…}}` sections.
    case bool(Bool)
    /// Items a section repeats over.
    case list([TemplateValue])
    /// Named fields, reached with `{{name}}` or `{{a.b}}`.
    case object([String: TemplateValue])
    /// A field that exists but has no value: renders empty and counts as false.
    case null
}

/// How interpolated values are escaped, chosen by what the rendered text becomes.
public enum TemplateEscaping: Sendable {
    /// The output is CommonMark: punctuation is backslash-escaped and newlines become spaces,
    /// so a value prints as written and never starts a Markdown block. Backslash escapes do
    /// not work inside code spans or `<…>` autolinks: use `{{{…}}}` there.
    case markdown
    /// The output is HTML: `&`, `<`, `>`, `"` and `'` become character references.
    case html
    /// Values are inserted as they are.
    case none
}

/// A parsed Mustache template: parse once, render many times with different contexts.
public struct Template: Sendable {
    /// The file the template came from, as errors print it.
    public let path: String
    let nodes: [TemplateNode]

    /// How deep sections may nest inside each other in one template file.
    public static let maximumNesting = 100

    /// Parses `source`; `path` names the file in errors.
    /// Throws a `Diagnostic` with the position of the offending tag (unclosed tag or section,
    /// mismatched close, bad delimiter tag, bad name).
    public init(parsing source: String, path: String) throws {
        self.path = path
        var parser = TemplateParser(source: source, path: path)
        nodes = try parser.parse()
    }

    /// Renders against `context`, escaping `{{…}}` values for `escaping`.
    /// In strict mode a name that resolves to nothing in the whole context stack, or a partial
    /// that is not in `partials`, throws a `Diagnostic` at its tag; `.null` counts as present.
    public func render(
        _ context: TemplateValue, partials: [String: Template] = [:], escaping: TemplateEscaping,
        strict: Bool = true
    ) throws -> String {
        var renderer = TemplateRenderer(partials: partials, escaping: escaping, strict: strict)
        try renderer.render(nodes, stack: [context])
        return renderer.output
    }
}

/// A name in a tag: `.` (the current item) or dot-separated parts such as `event.title`.
struct TemplateName: Sendable, Hashable, CustomStringConvertible {
    /// Empty for the implicit iterator `.`.
    let parts: [String]

    var description: String { parts.isEmpty ? "." : parts.joined(separator: ".") }
}

/// One piece of a parsed template.
indirect enum TemplateNode: Sendable, Hashable {
    case text(String)
    case variable(TemplateName, escaped: Bool, at: SourcePosition)
    case section(TemplateName, inverted: Bool, [TemplateNode], at: SourcePosition)
    /// `indentation` is the whitespace before a standalone partial tag, added to each line.
    case partial(String, indentation: String, at: SourcePosition)
}

extension TemplateNode {
    /// Where the node starts, for errors that are about the node as a whole; text has none.
    var position: SourcePosition? {
        switch self {
        case .text: return nil
        case .variable(_, _, let position), .section(_, _, _, let position), .partial(_, _, let position):
            return position
        }
    }
}
