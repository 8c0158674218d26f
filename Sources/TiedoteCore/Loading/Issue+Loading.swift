extension Issue {
    /// A front-matter key an issue file may have: the one list that reading and the "unknown
    /// key" error both use (its order is the order the error's hints list them in).
    public enum Key: String, Sendable, CaseIterable {
        case subject, preheader, coordinator
        case eventsFrom = "events_from"
        case eventsTo = "events_to"
    }

    /// The front-matter keys an issue file may have, as written in the file.
    public static let keys = Key.allCases.map(\.rawValue)

    /// Parses `Issues/YYYY-MM.md`. All problems are thrown together.
    public static func parse(_ text: String, month: YearMonth, path: String, settings: Settings) throws -> Issue {
        let file = try FrontMatter(parsing: text, path: path)
        let map = try file.yaml.mapping("the issue's front matter")
        var problems = Diagnostics(map.unknownKeys(keys))
        var positions: [String: SourcePosition] = ["": SourcePosition(path: path)]
        for entry in map.entries { positions[entry.key] = entry.value.position }
        positions["body"] = SourcePosition(path: path, line: file.bodyLine, column: file.bodyColumn)

        let subject = problems.take(Result {
            try map.required(Key.subject.rawValue, at: SourcePosition(path: path)).line(Key.subject.rawValue)
        })
        let preheader = problems.take(Result { try map[Key.preheader.rawValue]?.line(Key.preheader.rawValue) }) ?? nil
        let coordinator: String? = problems.take(Result {
            guard let value = map[Key.coordinator.rawValue] else { return nil }
            let id = try value.text(Key.coordinator.rawValue)
            guard settings.coordinators.isEmpty || settings.coordinator(id: id) != nil else {
                throw Diagnostic.error(value.position,
                    "unknown coordinator '\(id)'; tiedote.yml's coordinators are: \(settings.coordinators.map(\.id).joined(separator: ", "))")
            }
            return id
        }) ?? nil
        func date(_ key: Key) -> LocalDate? {
            problems.take(Result {
                guard let value = map[key.rawValue] else { return nil }
                let text = try value.text(key.rawValue)
                guard let date = LocalDate(iso: text) else {
                    throw Diagnostic.error(value.position, "\(key.rawValue) '\(text)' is not a date like 2026-12-01")
                }
                return date
            }) ?? nil
        }
        let from = date(.eventsFrom), to = date(.eventsTo)
        if let from, let to, to < from, let position = positions[Key.eventsTo.rawValue] {
            problems.append(.error(position, "events_to (\(to)) is before events_from (\(from))"))
        }
        try problems.throwIfErrors()
        guard let subject else { throw problems }
        return Issue(
            month: month, subject: subject, preheader: preheader, coordinator: coordinator,
            eventsFrom: from, eventsTo: to, body: file.body, positions: positions)
    }
}
