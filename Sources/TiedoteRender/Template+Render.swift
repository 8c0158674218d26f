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
                let value = try resolve(name, in: stack, at: position) ?? .null
                let text = try Self.text(of: value, name: name, strict: strict, at: position)
                emitValue(escaped ? escape(text) : text)
            case .section(let name, let inverted, let children, let position):
                let value = try resolve(name, in: stack, at: position) ?? .null
                if inverted {
                    if !Self.isTruthy(value) { try render(children, stack: stack) }
                } else if case .list(let items) = value {
                    for item in items { try render(children, stack: stack + [item]) }
                } else if Self.isTruthy(value) {
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
            let known = partials.keys.sorted()
            let hint = known.isEmpty ? "no partials are loaded" : "known partials: \(known.joined(separator: ", "))"
            throw Diagnostic.error(position, "unknown partial '\(name)' (\(hint))")
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

    // MARK: - Values

    private static func isTruthy(_ value: TemplateValue) -> Bool {
        switch value {
        case .string(let text): return !text.isEmpty
        case .bool(let flag): return flag
        case .list(let items): return !items.isEmpty
        case .object: return true
        case .null: return false
        }
    }

    private static func text(
        of value: TemplateValue, name: TemplateName, strict: Bool, at position: SourcePosition
    ) throws -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .list, .object:
            guard strict else { return "" }
            let kind = if case .list = value { "a list" } else { "an object" }
            throw Diagnostic.error(
                position,
                "placeholder '\(name)' is \(kind), not text: go through it with {{#\(name)}}…{{/\(name)}} and show its fields")
        }
    }

    /// The value a name stands for, walking the stack from the innermost item outwards.
    /// Nil when nothing matches (only possible when not strict); `.null` fields and anything
    /// below them resolve to `.null`.
    private func resolve(_ name: TemplateName, in stack: [TemplateValue], at position: SourcePosition) throws -> TemplateValue? {
        guard let first = name.parts.first else { return stack.last }
        let found = stack.reversed().lazy.compactMap { item -> TemplateValue? in
            if case .object(let fields) = item { return fields[first] }
            return nil
        }.first
        guard var value = found else {
            guard strict else { return nil }
            let message = Self.unknownMessage(name, subject: "nothing by that name here", available: Self.names(in: stack))
            throw Diagnostic.error(position, message)
        }
        var walked = first
        for part in name.parts.dropFirst() {
            switch value {
            case .null:
                return .null
            case .object(let fields):
                guard let next = fields[part] else {
                    guard strict else { return nil }
                    let subject = "'\(walked)' has no field '\(part)'"
                    let message = Self.unknownMessage(name, subject: subject, available: fields.keys.sorted())
                    throw Diagnostic.error(position, message)
                }
                value = next
            case .string, .bool, .list:
                guard strict else { return nil }
                throw Diagnostic.error(position, "unknown placeholder '\(name)': '\(walked)' has no fields, so '\(part)' names nothing")
            }
            walked += "." + part
        }
        return value
    }

    private static func names(in stack: [TemplateValue]) -> [String] {
        var names = Set<String>()
        for case .object(let fields) in stack { names.formUnion(fields.keys) }
        return names.sorted()
    }

    /// Lists the names that would work when there are few enough to read.
    private static func unknownMessage(_ name: TemplateName, subject: String, available: [String]) -> String {
        guard !available.isEmpty else {
            return "unknown placeholder '\(name)': \(subject), and there are no names to use here"
        }
        guard available.count <= 20 else {
            return "unknown placeholder '\(name)': \(subject); check the spelling"
        }
        return "unknown placeholder '\(name)': \(subject); use one of: \(available.joined(separator: ", "))"
    }
}
