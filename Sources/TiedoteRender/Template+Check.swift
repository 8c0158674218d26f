import TiedoteCore

extension Template {
    /// Every placeholder, section or partial that names nothing in `context`, in every branch
    /// (not only the ones this context renders), for `check` to report all of them at once.
    ///
    /// Sections are entered whether their value is true or false; a list section is checked
    /// against one item holding the fields of all its items, so an empty list's body cannot be
    /// checked and is skipped. The work is linear in the template's size: a body is checked
    /// once per section, never once per combination of items of the lists around it.
    public func unknownNames(in context: TemplateValue, partials: [String: Template] = [:]) -> [Diagnostic] {
        checked(in: context, partials: partials).problems
    }

    /// The problems and the number of nodes looked at to find them, which tests hold to the
    /// template's size.
    func checked(in context: TemplateValue, partials: [String: Template]) -> (problems: [Diagnostic], visits: Int) {
        var checker = TemplateChecker(partials: partials, context: context)
        checker.check(nodes)
        return (checker.problems, checker.visits)
    }
}

/// Walks all branches of a template, collecting unknown names instead of stopping at the first.
private struct TemplateChecker {
    let partials: [String: Template]
    private(set) var problems: [Diagnostic] = []
    private(set) var visits = 0
    private var seen: Set<Diagnostic> = []
    /// The context stack, innermost item last, and a small number for each distinct value on it.
    private var stack: [TemplateValue]
    private var stackIDs: [Int]
    private var valueIDs: [TemplateValue: Int] = [:]
    /// Partials already checked in an equivalent context: checking again finds nothing new.
    private var checkedPartials: Set<PartialVisit> = []
    private var depth = 0
    /// Recursive partials that only end on data the checker enters anyway stop here quietly:
    /// rendering reports a partial that really never ends.
    private static let maximumDepth = 16

    /// A partial and the context it is checked in, with a value that sits higher on the stack
    /// left out lower down: names resolve from the top, so the lower copy is never reached.
    private struct PartialVisit: Hashable {
        var name: String
        var context: [Int]
    }

    init(partials: [String: Template], context: TemplateValue) {
        self.partials = partials
        stack = []
        stackIDs = []
        push(Self.representative(context))
    }

    mutating func check(_ nodes: [TemplateNode]) {
        for node in nodes {
            visits += 1
            switch node {
            case .text:
                break
            case .variable(let name, _, let position):
                let found = Result {
                    let value = try TemplateLookup.resolve(name, in: stack, strict: true, at: position) ?? .null
                    return try TemplateLookup.text(of: value, name: name, strict: true, at: position)
                }
                record(found)
            case .section(let name, let inverted, let children, let position):
                // A section whose own name is unknown is not entered: its body's names
                // would all look unknown too and bury the one real mistake.
                let found = Result { try TemplateLookup.resolve(name, in: stack, strict: true, at: position) }
                record(found)
                guard case .success(let value?) = found else { continue }
                checkSection(children, value: value, inverted: inverted)
            case .partial(let name, _, let position):
                checkPartial(name, at: position)
            }
        }
    }

    private mutating func checkSection(_ children: [TemplateNode], value: TemplateValue, inverted: Bool) {
        if inverted {
            check(children)
            return
        }
        var item = value
        if case .list(let items) = value {
            // Lists hold at most one item by now: the representative one.
            guard let first = items.first else { return }
            item = first
        }
        push(item)
        check(children)
        pop()
    }

    private mutating func checkPartial(_ name: String, at position: SourcePosition) {
        guard let partial = partials[name] else {
            add(TemplateLookup.unknownPartial(name, partials: partials, at: position))
            return
        }
        guard depth < Self.maximumDepth else { return }
        guard checkedPartials.insert(PartialVisit(name: name, context: canonicalContext())).inserted else { return }
        depth += 1
        check(partial.nodes)
        depth -= 1
    }

    // MARK: - The context stack

    private mutating func push(_ value: TemplateValue) {
        let id = valueIDs[value] ?? valueIDs.count
        valueIDs[value] = id
        stack.append(value)
        stackIDs.append(id)
    }

    private mutating func pop() {
        stack.removeLast()
        stackIDs.removeLast()
    }

    /// The stack's value numbers with every value kept only at its highest place.
    private func canonicalContext() -> [Int] {
        var kept = Set<Int>()
        var reversed: [Int] = []
        for id in stackIDs.reversed() where kept.insert(id).inserted { reversed.append(id) }
        return reversed.reversed()
    }

    /// The value with every list folded into one item that has the fields of all its items,
    /// so a section's body is checked once whatever the number of items.
    static func representative(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case .list(let items):
            guard let first = items.first else { return value }
            return .list([items.dropFirst().reduce(representative(first)) { merged($0, representative($1)) }])
        case .object(let fields):
            return .object(fields.mapValues(representative))
        case .string, .bool, .null:
            return value
        }
    }

    private static func merged(_ first: TemplateValue, _ second: TemplateValue) -> TemplateValue {
        switch (first, second) {
        case (.object(let left), .object(let right)):
            return .object(left.merging(right, uniquingKeysWith: merged))
        case (.list(let left), .list(let right)):
            guard let one = left.first else { return second }
            guard let other = right.first else { return first }
            return .list([merged(one, other)])
        case (.null, _):
            return second
        default:
            return first
        }
    }

    // MARK: - Problems

    private mutating func record<Value>(_ result: Result<Value, any Error>) {
        guard case .failure(let error) = result else { return }
        if let diagnostic = error as? Diagnostic {
            add(diagnostic)
        } else {
            add(.error(nil, "\(error)"))
        }
    }

    private mutating func add(_ diagnostic: Diagnostic) {
        if seen.insert(diagnostic).inserted { problems.append(diagnostic) }
    }
}
