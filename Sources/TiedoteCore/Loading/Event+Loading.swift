extension Event {
    /// The front-matter keys an event file may have.
    public static let keys = [
        "title", "start", "end", "venue", "address", "municipality", "category", "short", "price",
        "registration", "organizer", "image", "image_alt", "status", "tags", "id",
    ]

    /// True for a usable stable `id:`: letters, digits, `.`, `_` and `-`, starting with a
    /// letter or digit, at most 100 characters (it goes into iCalendar UIDs and the journal).
    public static func isValidStableID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 100 else { return false }
        func plain(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return plain(first) && text.unicodeScalars.allSatisfy { plain($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// The longest `short` text calendars accept.
    public static let shortLimit = 160

    /// Parses an event file; `id` is its name without `.md`. All problems are thrown together.
    public static func parse(_ text: String, id: String, path: String, settings: Settings) throws -> Event {
        var warnings: [Diagnostic] = []
        return try parse(text, id: id, path: path, settings: settings, warnings: &warnings)
    }

    /// Parses an event file, handing back the warnings of a successful parse.
    public static func parse(
        _ text: String, id: String, path: String, settings: Settings, warnings: inout [Diagnostic]
    ) throws -> Event {
        let file = try FrontMatter(parsing: text, path: path)
        let map = try file.yaml.mapping("the event's front matter")
        var problems = Diagnostics(map.unknownKeys(keys))
        var positions: [String: SourcePosition] = ["": SourcePosition(path: path)]
        for entry in map.entries { positions[entry.key] = entry.value.position }
        positions["description"] = SourcePosition(path: path, line: file.bodyLine, column: 1)
        let fileStart = SourcePosition(path: path)

        // Every field but the description is one line: titles, venues and the rest reach
        // mail headers, calendar lines and CSV cells, where a line break is an injection.
        func required(_ key: String) -> String? {
            problems.take(Result { try map.required(key, at: fileStart).line(key) })
        }
        func optional(_ key: String) -> String? {
            problems.take(Result { try map[key]?.line(key) }) ?? nil
        }
        func url(_ key: String) -> String? {
            guard let value = optional(key) else { return nil }
            if !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                problems.append(.error(positions[key], "\(key) must be a web address starting with https://"))
            }
            return value
        }

        let title = required("title")
        let start: LocalDateTime? = problems.take(Result {
            try parseTime(map.required("start", at: fileStart), key: "start")
        })
        let end: LocalDateTime? = problems.take(Result { try map["end"].map { try parseTime($0, key: "end") } }) ?? nil
        if let start, let end, let position = positions["end"] {
            if start.isAllDay != end.isAllDay {
                problems.append(.error(position, start.isAllDay
                    ? "end has a time but start is a date only: give both a time, or neither (all-day)"
                    : "end is a date only but start has a time: write end as \(end.date)T16:00"))
            } else if end < start {
                problems.append(.error(position, "end (\(end)) is before start (\(start))"))
            }
        }
        let venue = required("venue")
        let municipality: Municipality? = problems.take(Result {
            let value = try map.required("municipality", at: fileStart)
            let name = try value.line("municipality")
            guard let municipality = Municipality(name: name) else { throw unknownMunicipality(name, at: value.position) }
            return municipality
        })
        let category: String? = problems.take(Result {
            let value = try map.required("category", at: fileStart)
            let name = try value.line("category")
            guard settings.categories.isEmpty || settings.categories.contains(name) else {
                throw Diagnostic.error(value.position,
                    "unknown category '\(name)'; use one of tiedote.yml's categories: \(settings.categories.joined(separator: ", "))")
            }
            return name
        })
        let short = required("short")
        if let short, short.count > shortLimit {
            problems.append(.error(positions["short"],
                "short is \(short.count) characters; calendars take at most \(shortLimit): shorten it"))
        }
        let status: Status? = problems.take(Result {
            guard let value = map["status"] else { return .scheduled }
            let text = try value.line("status")
            guard let status = Status(rawValue: text) else {
                throw Diagnostic.error(value.position, "status must be scheduled, cancelled or postponed, not '\(text)'")
            }
            return status
        })
        let tags = problems.take(Result {
            try map["tags"]?.sequence("tags").map { try $0.line("each item of tags") } ?? []
        }) ?? []
        let registration = url("registration")
        let image = url("image")
        let imageAlt = optional("image_alt")
        if image != nil && imageAlt == nil {
            problems.append(.warning(positions["image"], "image has no image_alt: add a short description for screen readers"))
        }
        let address = optional("address")
        let price = optional("price")
        let organizer = optional("organizer")
        let stableID = optional("id")
        if let stableID, !isValidStableID(stableID) {
            problems.append(.error(positions["id"],
                "id '\(stableID)' may hold only letters a–z, digits, '.', '_' and '-' (at most 100): write it like \(id)"))
        }

        try problems.throwIfErrors()
        warnings.append(contentsOf: problems.items)
        guard let title, let start, let venue, let municipality, let category, let short, let status else {
            throw problems
        }
        return Event(
            id: id, title: title, start: start, end: end, venue: venue, address: address,
            municipality: municipality, category: category, short: short, price: price,
            registration: registration, organizer: organizer, image: image, imageAlt: imageAlt,
            status: status, tags: tags, description: file.body, positions: positions, stableID: stableID)
    }

    private static func parseTime(_ value: YAMLValue, key: String) throws -> LocalDateTime {
        let text = try value.text(key)
        guard let time = LocalDateTime(iso: text) else {
            throw Diagnostic.error(value.position,
                "\(key) '\(text)' is not a date: write 2026-12-02T14:00 (local time), or 2026-12-02 for all day")
        }
        return time
    }

    private static func unknownMunicipality(_ name: String, at position: SourcePosition) -> Diagnostic {
        if name.lowercased() == "kuhmoinen" {
            return .error(position, "Kuhmoinen moved to Pirkanmaa in 2021 and is not one of Keski-Suomi's 22 municipalities")
        }
        var message = "unknown municipality '\(name)'; use one of Keski-Suomi's 22 municipalities or 'verkossa' for online events"
        if let near = Municipality.allCases.min(by: { editDistance($0.rawValue, name) < editDistance($1.rawValue, name) }),
            editDistance(near.rawValue, name) <= 2
        {
            message += "; did you mean '\(near.rawValue)'?"
        }
        return .error(position, message)
    }
}
