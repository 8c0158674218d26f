extension Event {
    /// A front-matter key an event file may have: the one list that reading and the "unknown
    /// key" error both use (its order is the order the error's hints list them in).
    public enum Key: String, Sendable, CaseIterable {
        case title, start, end, venue, address, municipality, category, short, price
        case registration, organizer, image
        case imageAlt = "image_alt"
        case status, tags, id
    }

    /// The front-matter keys an event file may have, as written in the file.
    public static let keys = Key.allCases.map(\.rawValue)

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
        var reader = try EventReader(file: file, path: path)
        let title = reader.required(.title)
        let (start, end) = reader.when()
        let venue = reader.required(.venue)
        let municipality = reader.municipality()
        let category = reader.category(settings.categories)
        let short = reader.short()
        let status = reader.status()
        let tags = reader.tags()
        let registration = reader.url(.registration)
        let (image, imageAlt) = reader.image()
        let address = reader.optional(.address)
        let price = reader.optional(.price)
        let organizer = reader.optional(.organizer)
        let stableID = reader.stableID(fileID: id)

        try reader.problems.throwIfErrors()
        warnings.append(contentsOf: reader.problems.items)
        guard let title, let start, let venue, let municipality, let category, let short, let status else {
            throw reader.problems
        }
        return Event(
            id: id, title: title, start: start, end: end, venue: venue, address: address,
            municipality: municipality, category: category, short: short, price: price,
            registration: registration, organizer: organizer, image: image, imageAlt: imageAlt,
            status: status, tags: tags, description: file.body, positions: reader.positions, stableID: stableID)
    }
}

/// One event file's front matter being read field by field: each step records its problems
/// and goes on, so that all of a file's problems are reported together.
private struct EventReader {
    let map: YAMLMapping
    /// Where a missing required key is reported: the file itself.
    let fileStart: SourcePosition
    /// Each key's value position, `""` for the file and `description` for the body.
    var positions: [String: SourcePosition]
    var problems: Diagnostics

    init(file: FrontMatter, path: String) throws {
        map = try file.yaml.mapping("the event's front matter")
        problems = Diagnostics(map.unknownKeys(Event.keys))
        fileStart = SourcePosition(path: path)
        positions = ["": fileStart]
        for entry in map.entries { positions[entry.key] = entry.value.position }
        positions["description"] = SourcePosition(path: path, line: file.bodyLine, column: file.bodyColumn)
    }

    // Every field but the description is one line: titles, venues and the rest reach
    // mail headers, calendar lines and CSV cells, where a line break is an injection.

    mutating func required(_ key: Event.Key) -> String? {
        problems.take(Result { try requiredValue(key).line(key.rawValue) })
    }

    mutating func optional(_ key: Event.Key) -> String? {
        problems.take(Result { try value(key)?.line(key.rawValue) }) ?? nil
    }

    /// An optional web address.
    mutating func url(_ key: Event.Key) -> String? {
        guard let value = optional(key) else { return nil }
        if !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
            problems.append(.error(position(key), "\(key.rawValue) must be a web address starting with https://"))
        }
        return value
    }

    /// The value of `key`, nil when the file does not give it.
    func value(_ key: Event.Key) -> YAMLValue? { map[key.rawValue] }

    /// The value of `key`; throws, placed at the file, when the file does not give it.
    func requiredValue(_ key: Event.Key) throws -> YAMLValue { try map.required(key.rawValue, at: fileStart) }

    /// Where the value of `key` is, nil when the file does not give it.
    func position(_ key: Event.Key) -> SourcePosition? { positions[key.rawValue] }

    /// `start` and `end`: both all-day or both timed, and the end not before the start.
    mutating func when() -> (start: LocalDateTime?, end: LocalDateTime?) {
        let start: LocalDateTime? = problems.take(Result {
            try Self.time(requiredValue(.start), key: .start)
        })
        let end: LocalDateTime? = problems.take(Result { try value(.end).map { try Self.time($0, key: .end) } }) ?? nil
        if let start, let end, let position = self.position(.end) {
            if start.isAllDay != end.isAllDay {
                problems.append(.error(position, start.isAllDay
                    ? "end has a time but start is a date only: give both a time, or neither (all-day)"
                    : "end is a date only but start has a time: write end as \(end.date)T16:00"))
            } else if end < start {
                problems.append(.error(position, "end (\(end)) is before start (\(start))"))
            }
        }
        return (start, end)
    }

    mutating func municipality() -> Municipality? {
        problems.take(Result {
            let value = try requiredValue(.municipality)
            let name = try value.line(Event.Key.municipality.rawValue)
            guard let municipality = Municipality(name: name) else { throw Self.unknownMunicipality(name, at: value.position) }
            return municipality
        })
    }

    /// The category, one of `categories` (any when tiedote.yml names none).
    mutating func category(_ categories: [String]) -> String? {
        problems.take(Result {
            let value = try requiredValue(.category)
            let name = try value.line(Event.Key.category.rawValue)
            guard categories.isEmpty || categories.contains(name) else {
                throw Diagnostic.error(value.position,
                    "unknown category '\(name)'; use one of tiedote.yml's categories: \(categories.joined(separator: ", "))")
            }
            return name
        })
    }

    /// The short text, at most `Event.shortLimit` characters.
    mutating func short() -> String? {
        let short = required(.short)
        if let short, short.count > Event.shortLimit {
            problems.append(.error(position(.short),
                "short is \(short.count) characters; calendars take at most \(Event.shortLimit): shorten it"))
        }
        return short
    }

    /// The status, `scheduled` when not given.
    mutating func status() -> Event.Status? {
        problems.take(Result {
            guard let value = self.value(.status) else { return .scheduled }
            let text = try value.line(Event.Key.status.rawValue)
            guard let status = Event.Status(rawValue: text) else {
                throw Diagnostic.error(value.position, "status must be scheduled, cancelled or postponed, not '\(text)'")
            }
            return status
        })
    }

    mutating func tags() -> [String] {
        problems.take(Result {
            try value(.tags)?.sequence(Event.Key.tags.rawValue).map { try $0.line("each item of tags") } ?? []
        }) ?? []
    }

    /// The image's address and its text for screen readers (a warning when only the image is given).
    mutating func image() -> (image: String?, alt: String?) {
        let image = url(.image)
        let alt = optional(.imageAlt)
        if image != nil && alt == nil {
            problems.append(.warning(position(.image), "image has no image_alt: add a short description for screen readers"))
        }
        return (image, alt)
    }

    /// The stable `id:`, when given and usable; `fileID` is the example the message suggests.
    mutating func stableID(fileID: String) -> String? {
        let stableID = optional(.id)
        if let stableID, !Event.isValidStableID(stableID) {
            problems.append(.error(position(.id),
                "id '\(stableID)' may hold only letters a–z, digits, '.', '_' and '-' (at most 100): write it like \(fileID)"))
        }
        return stableID
    }

    private static func time(_ value: YAMLValue, key: Event.Key) throws -> LocalDateTime {
        let text = try value.text(key.rawValue)
        guard let time = LocalDateTime(iso: text) else {
            throw Diagnostic.error(value.position,
                "\(key.rawValue) '\(text)' is not a date: write 2026-12-02T14:00 (local time), or 2026-12-02 for all day")
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
