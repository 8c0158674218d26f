import TiedoteCore

extension Template {
    /// Every placeholder, section or partial that names nothing in `context`, in every branch
    /// (not only the ones this context renders), for `check` to report all of them at once.
    ///
    /// Sections are entered whether their value is true or false; a list section is checked
    /// against each of its items, so an empty list's body cannot be checked and is skipped.
    public func unknownNames(in context: TemplateValue, partials: [String: Template] = [:]) -> [Diagnostic] {
        var checker = TemplateChecker(partials: partials)
        checker.check(nodes, stack: [context])
        return checker.problems
    }
}

/// Walks all branches of a template, collecting unknown names instead of stopping at the first.
private struct TemplateChecker {
    let partials: [String: Template]
    private(set) var problems: [Diagnostic] = []
    private var seen: Set<Diagnostic> = []
    private var depth = 0
    /// Recursive partials that only end on data the checker enters anyway stop here quietly:
    /// rendering reports a partial that really never ends.
    private static let maximumDepth = 16

    init(partials: [String: Template]) { self.partials = partials }

    mutating func check(_ nodes: [TemplateNode], stack: [TemplateValue]) {
        for node in nodes {
            switch node {
            case .text:
                break
            case .variable(let name, _, let position):
                record {
                    let value = try TemplateLookup.resolve(name, in: stack, strict: true, at: position) ?? .null
                    _ = try TemplateLookup.text(of: value, name: name, strict: true, at: position)
                }
            case .section(let name, let inverted, let children, let position):
                // A section whose own name is unknown is not entered: its body's names
                // would all look unknown too and bury the one real mistake.
                var found: TemplateValue?
                record { found = try TemplateLookup.resolve(name, in: stack, strict: true, at: position) }
                guard let value = found else { continue }
                if inverted {
                    check(children, stack: stack)
                } else if case .list(let items) = value {
                    var visited: Set<TemplateValue> = []
                    for item in items where visited.insert(item).inserted {
                        check(children, stack: stack + [item])
                    }
                } else {
                    check(children, stack: stack + [value])
                }
            case .partial(let name, _, let position):
                guard let partial = partials[name] else {
                    add(TemplateLookup.unknownPartial(name, partials: partials, at: position))
                    continue
                }
                guard depth < Self.maximumDepth else { continue }
                depth += 1
                check(partial.nodes, stack: stack)
                depth -= 1
            }
        }
    }

    private mutating func record(_ body: () throws -> Void) {
        do {
            try body()
        } catch let diagnostic as Diagnostic {
            add(diagnostic)
        } catch {
            add(.error(nil, "\(error)"))
        }
    }

    private mutating func add(_ diagnostic: Diagnostic) {
        if seen.insert(diagnostic).inserted { problems.append(diagnostic) }
    }
}
