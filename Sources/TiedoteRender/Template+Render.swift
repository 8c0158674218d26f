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
    /// Sections and partials open at once, across partials: each is a level of recursion.
    private var nesting = 0
    private static let maximumNesting = 2 * Template.maximumNesting
    /// Nodes rendered so far, and the list sections open, innermost last, for the error
    /// that stops a template whose nested list sections would repeat without end.
    private var steps = 0
    private var openLists: [(name: TemplateName, position: SourcePosition)] = []
    /// Far more than any newsletter takes (an event costs a few dozen steps in each list it
    /// is shown in, so even a thousand events stay well below), and few enough that reaching
    /// it takes seconds, not hours: 12 nested `{{#events}}` over 7 events would be 7¹² repetitions.
    static let maximumSteps = 250_000

    init(partials: [String: Template], escaping: TemplateEscaping, strict: Bool) {
        self.partials = partials
        self.escaping = escaping
        self.strict = strict
    }

    mutating func render(_ nodes: [TemplateNode], stack: [TemplateValue]) throws {
        for node in nodes {
            try countStep(at: node)
            switch node {
            case .text(let text):
                emitTemplateText(text)
            case .variable(let name, let escaped, let position):
                let value = try TemplateLookup.resolve(name, in: stack, strict: strict, at: position) ?? .null
                let text = try TemplateLookup.text(of: value, name: name, strict: strict, at: position)
                emitValue(escaped ? escape(text) : text)
            case .section(let name, let inverted, let children, let position):
                let value = try TemplateLookup.resolve(name, in: stack, strict: strict, at: position) ?? .null
                try enter(name, at: position)
                defer { nesting -= 1 }
                if inverted {
                    if !TemplateLookup.isTruthy(value) { try render(children, stack: stack) }
                } else if case .list(let items) = value {
                    openLists.append((name, position))
                    defer { openLists.removeLast() }
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
        try enter(TemplateName(parts: ["> " + name]), at: position)
        let saved = indentation
        indentation += indent
        partialDepth += 1
        defer {
            indentation = saved
            partialDepth -= 1
            nesting -= 1
        }
        try render(partial.nodes, stack: stack)
    }

    // MARK: - Limits

    /// Opens a level of nesting; the caller closes it. Sections nest at most
    /// `Template.maximumNesting` deep in one file, but partials can stack them further.
    private mutating func enter(_ name: TemplateName, at position: SourcePosition) throws {
        guard nesting < Self.maximumNesting else {
            throw Diagnostic.error(
                position,
                "'\(name)' nests deeper than \(Self.maximumNesting) levels of sections and partials: flatten the templates")
        }
        nesting += 1
    }

    private mutating func countStep(at node: TemplateNode) throws {
        steps += 1
        guard steps > Self.maximumSteps else { return }
        let list = openLists.last
        let section = list.map { "'{{#\($0.name)}}' repeats" } ?? "its sections repeat"
        throw Diagnostic.error(
            list?.position ?? node.position,
            "the template takes more than \(Self.maximumSteps) steps to render: \(section) for every item of the lists around it, "
                + "as nested list sections do for every combination of their items; nest fewer of them")
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
