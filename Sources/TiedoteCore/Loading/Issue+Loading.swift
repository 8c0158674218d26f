extension Issue {
    /// The front-matter keys an issue file may have.
    public static let keys = ["subject", "preheader", "coordinator", "events_from", "events_to"]

    /// Parses `Issues/YYYY-MM.md`. All problems are thrown together.
    public static func parse(_ text: String, month: YearMonth, path: String, settings: Settings) throws -> Issue {
        let file = try FrontMatter(parsing: text, path: path)
        let map = try file.yaml.mapping("the issue's front matter")
        var problems = Diagnostics(map.unknownKeys(keys))
        var positions: [String: SourcePosition] = ["": SourcePosition(path: path)]
        for entry in map.entries { positions[entry.key] = entry.value.position }
        positions["body"] = SourcePosition(path: path, line: file.bodyLine, column: 1)

        let subject = problems.take(Result { try map.required("subject", at: SourcePosition(path: path)).line("subject") })
        let preheader = problems.take(Result { try map["preheader"]?.line("preheader") }) ?? nil
        let coordinator: String? = problems.take(Result {
            guard let value = map["coordinator"] else { return nil }
            let id = try value.text("coordinator")
            guard settings.coordinators.isEmpty || settings.coordinator(id: id) != nil else {
                throw Diagnostic.error(value.position,
                    "unknown coordinator '\(id)'; tiedote.yml's coordinators are: \(settings.coordinators.map(\.id).joined(separator: ", "))")
            }
            return id
        }) ?? nil
        func date(_ key: String) -> LocalDate? {
            problems.take(Result {
                guard let value = map[key] else { return nil }
                let text = try value.text(key)
                guard let date = LocalDate(iso: text) else {
                    throw Diagnostic.error(value.position, "\(key) '\(text)' is not a date like 2026-12-01")
                }
                return date
            }) ?? nil
        }
        let from = date("events_from"), to = date("events_to")
        if let from, let to, to < from, let position = positions["events_to"] {
            problems.append(.error(position, "events_to (\(to)) is before events_from (\(from))"))
        }
        try problems.throwIfErrors()
        guard let subject else { throw problems }
        return Issue(
            month: month, subject: subject, preheader: preheader, coordinator: coordinator,
            eventsFrom: from, eventsTo: to, body: file.body, positions: positions)
    }
}
