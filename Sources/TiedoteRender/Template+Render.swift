import TiedoteCore

/// Renders template nodes against a context stack, escaping by the output's kind and, in
/// strict mode, refusing names that resolve to nothing.
struct TemplateRenderer {
    /// The text rendered so far.
    private(set) var output = ""
    private let partials: [String: Template]
    private let escaping: TemplateEscaping
    private let strict: Bool

    /// Whitespace added at the start of each line while inside an indented standalone partial.
    private var indentation = ""
    private var atLineStart = true
    private var partialDepth = 0
    /// Deep enough for any real layout; stops a partial that includes itself forever.
    private static let maximumPartialDepth = 64

    init(partials: [String: Template], escaping: TemplateEscaping, strict: Bool) {
        self.partials = partials
        self.escaping = escaping
        self.strict = strict
    }

    mutating func render(_ nodes: [TemplateNode], stack: [TemplateValue]) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                emitTemplateText(text)
            case .variable(let name, let escaped, let position):
                let value = try TemplateLookup.resolve(name, in: stack, strict: strict, at: position) ?? .null
                let text = try TemplateLookup.text(of: value, name: name, strict: strict, at: position)
                emitValue(escaped ? escape(text) : text)
            case .section(let name, let inverted, let children, let position):
                let value = try TemplateLookup.resolve(name, in: stack, strict: strict, at: position) ?? .null
                if inverted {
                    if !TemplateLookup.isTruthy(value) { try render(children, stack: stack) }
                } else if case .list(let items) = value {
                    for item in items { try render(children, stack: stack + [item]) }
                } else if TemplateLookup.isTruthy(value) {
                    try render(children, stack: stack + [value])
                }
            case .partial(let name, let indent, let position):
                try renderPartial(name, indent: indent, stack: stack, at: position)
            }
        }
    }

    private mutating func renderPartial(
        _ name: String, indent: String, stack: [TemplateValue], at position: SourcePosition
    ) throws {
        guard let partial = partials[name] else {
            guard strict else { return }
            throw TemplateLookup.unknownPartial(name, partials: partials, at: position)
        }
        guard partialDepth < Self.maximumPartialDepth else {
            throw Diagnostic.error(position, "partial '\(name)' nests more than \(Self.maximumPartialDepth) levels deep: does it include itself?")
        }
        let saved = indentation
        indentation += indent
        partialDepth += 1
        defer {
            indentation = saved
            partialDepth -= 1
        }
        try render(partial.nodes, stack: stack)
    }

    // MARK: - Output

    /// Template text: each new line inside an indented partial gets the indentation.
    private mutating func emitTemplateText(_ text: String) {
        guard !indentation.isEmpty else {
            output += text
            // Kept up to date here too: a standalone partial may come on the next line.
            if let last = text.last { atLineStart = last.isNewline }
            return
        }
        for character in text {
            if atLineStart {
                output += indentation
                atLineStart = false
            }
            output.append(character)
            if character.isNewline { atLineStart = true }
        }
    }

    /// A value: indented where it starts a line, but its own lines are left as they are.
    private mutating func emitValue(_ text: String) {
        guard !text.isEmpty else { return }
        if atLineStart && !indentation.isEmpty {
            output += indentation
        }
        atLineStart = false
        output += text
    }

    private func escape(_ text: String) -> String {
        switch escaping {
        case .none: return text
        case .html: return TemplateEscape.html(text)
        case .markdown: return TemplateEscape.markdown(text)
        }
    }
}
