import TiedoteCore

/// How names find values on the context stack, shared by rendering and checking.
enum TemplateLookup {
    /// Mustache truthiness: false, null, "" and [] are false; anything else is true.
    static func isTruthy(_ value: TemplateValue) -> Bool {
        switch value {
        case .string(let text): return !text.isEmpty
        case .bool(let flag): return flag
        case .list(let items): return !items.isEmpty
        case .object: return true
        case .null: return false
        }
    }

    /// The text a `{{name}}` tag shows; lists and objects are an error in strict mode.
    static func text(
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
    static func resolve(
        _ name: TemplateName, in stack: [TemplateValue], strict: Bool, at position: SourcePosition
    ) throws -> TemplateValue? {
        guard let first = name.parts.first else { return stack.last }
        let found = stack.reversed().lazy.compactMap { item -> TemplateValue? in
            if case .object(let fields) = item { return fields[first] }
            return nil
        }.first
        guard var value = found else {
            guard strict else { return nil }
            let message = unknownMessage(name, subject: "nothing by that name here", available: names(in: stack))
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
                    let message = unknownMessage(name, subject: subject, available: fields.keys.sorted())
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

    /// The error for `{{> name}}` when no such partial is loaded.
    static func unknownPartial(_ name: String, partials: [String: Template], at position: SourcePosition) -> Diagnostic {
        let known = partials.keys.sorted()
        let hint = known.isEmpty ? "no partials are loaded" : "known partials: \(known.joined(separator: ", "))"
        return Diagnostic.error(position, "unknown partial '\(name)' (\(hint))")
    }
}
