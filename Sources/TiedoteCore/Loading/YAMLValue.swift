import Yams

/// A YAML node that knows where it stands in its file, with typed accessors whose errors name
/// `file:line:column`.
struct YAMLValue {
    let node: Node
    let position: SourcePosition
    /// The file line on which the YAML document starts (marks are relative to it).
    let firstLine: Int

    /// Parses `text` (which starts at `firstLine` of `path`) into its root value; an empty
    /// document is an empty mapping.
    static func parse(_ text: String, path: String, firstLine: Int = 1) throws -> YAMLValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Diagnostic.error(position(of: error, path: path, firstLine: firstLine), describe(error))
        }
        let start = SourcePosition(path: path, line: firstLine, column: 1)
        guard let root else {
            return YAMLValue(node: Node.mapping(Node.Mapping([])), position: start, firstLine: firstLine)
        }
        return YAMLValue(node: root, path: path, firstLine: firstLine)
    }

    init(node: Node, position: SourcePosition, firstLine: Int) {
        self.node = node
        self.position = position
        self.firstLine = firstLine
    }

    init(node: Node, path: String, firstLine: Int) {
        self.node = node
        self.firstLine = firstLine
        let mark = node.mark
        position = SourcePosition(
            path: path, line: (mark?.line ?? 1) + firstLine - 1, column: mark?.column ?? 1)
    }

    /// True for `~`, `null` or an empty value.
    var isNull: Bool {
        guard let scalar = node.scalar else { return false }
        if scalar.style != .plain { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What kind of YAML value this is, in words for error messages.
    var kind: String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The scalar's text.
    func string(_ what: String) throws -> String {
        guard let scalar = node.scalar else {
            throw Diagnostic.error(position, "\(what) must be a single value, not \(kind)")
        }
        return scalar.string
    }

    /// The scalar's text, trimmed and required to be non-empty.
    func text(_ what: String) throws -> String {
        let value = try string(what).trimmingSpaces
        if value.isEmpty { throw Diagnostic.error(position, "\(what) is empty") }
        return value
    }

    /// One line of text for a mail header (a subject, a sender's name, a domain): no line
    /// breaks or other control characters.
    func line(_ what: String) throws -> String {
        let value = try text(what)
        if value.containsControlCharacters {
            throw Diagnostic.error(position, "\(what) contains a line break or a control character; write it on one line")
        }
        return value
    }

    /// A whole number.
    func int(_ what: String) throws -> Int {
        let text = try string(what)
        guard let value = Int(text.trimmingSpaces) else {
            throw Diagnostic.error(position, "\(what) must be a whole number, not '\(text)'")
        }
        return value
    }

    /// The items of a list; a single value is not accepted.
    func sequence(_ what: String) throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else {
            throw Diagnostic.error(position, "\(what) must be a list (`[a, b]` or `- a` lines), not \(kind)")
        }
        return sequence.map(child)
    }

    /// A list of strings.
    func strings(_ what: String) throws -> [String] {
        try sequence(what).map { try $0.text("each item of \(what)") }
    }

    /// The mapping's entries, in file order.
    func mapping(_ what: String) throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw Diagnostic.error(position, "\(what) must be a mapping (`key: value` lines), not \(kind)")
        }
        var entries: [YAMLMapping.Entry] = []
        for (key, value) in mapping {
            entries.append(.init(key: key.scalar?.string ?? "", keyPosition: child(key).position, value: child(value)))
        }
        return YAMLMapping(entries: entries, position: position, what: what)
    }

    private func child(_ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: position.path, firstLine: firstLine)
    }

    private static func position(of error: YamlError, path: String, firstLine: Int) -> SourcePosition {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourcePosition(path: path, line: mark.line + firstLine - 1, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourcePosition(path: path, line: context.mark.line + firstLine - 1, column: context.mark.column)
        default:
            return SourcePosition(path: path, line: firstLine, column: 1)
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            let detail = context.map { " \($0.text)" } ?? ""
            return "YAML syntax: \(problem)\(detail) (quote text that contains ': ', '#', or starts with *, &, [, {, >, |)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "the key '\(duplicates.joined(separator: "', '"))' appears twice"
        default:
            return "YAML: \(error)"
        }
    }
}

/// A YAML mapping read key by key; keys nobody asked for are reported as unknown.
struct YAMLMapping {
    struct Entry {
        let key: String
        let keyPosition: SourcePosition
        let value: YAMLValue
    }

    let entries: [Entry]
    let position: SourcePosition
    let what: String

    /// The value of `key`, nil when absent or null.
    subscript(key: String) -> YAMLValue? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return entry.value
    }

    /// The value of a required key.
    func required(_ key: String, at fallback: SourcePosition? = nil) throws -> YAMLValue {
        guard let value = self[key] else {
            throw Diagnostic.error(fallback ?? position, "missing required key '\(key)' in \(what)")
        }
        return value
    }

    /// Where `key` stands, or the mapping's own position.
    func keyPosition(_ key: String) -> SourcePosition {
        entries.first { $0.key == key }?.keyPosition ?? position
    }

    /// One error per key not in `known`, with a hint when a known key is spelled alike.
    func unknownKeys(_ known: [String]) -> [Diagnostic] {
        entries.filter { !known.contains($0.key) }.map { entry in
            var message = "unknown key '\(entry.key)' in \(what)"
            if let near = known.min(by: { editDistance($0, entry.key) < editDistance($1, entry.key) }),
                editDistance(near, entry.key) <= 2
            {
                message += "; did you mean '\(near)'?"
            } else {
                message += "; known keys: \(known.joined(separator: ", "))"
            }
            return .error(entry.keyPosition, message)
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}
