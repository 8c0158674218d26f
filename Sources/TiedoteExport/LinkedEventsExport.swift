import TiedoteCore

/// The `kalenteri` export: a JSON array of Linked Events event objects for the regional
/// calendar, ready to POST one by one or as a bulk list.
public struct LinkedEventsExport: EventExport {
    /// One event, with the references and HTML the format's fields read.
    public struct Entry: Sendable, Hashable {
        /// The event.
        public var event: Event
        /// The place `@id` the venue maps to.
        public var placeID: String
        /// Keyword `@id`s from the category, then the tags, each once.
        public var keywordIDs: [String]
        /// The description as safe HTML.
        public var descriptionHTML: String
        /// The registration link, when it is an http(s) URL.
        public var infoURL: String?
        /// The organiser (the network when the event names none).
        public var provider: String
    }

    /// The network's settings: place and keyword mappings.
    public var settings: Settings
    /// The present (Unix seconds) for leaving out events that are over; nil keeps them all.
    public var now: Int?

    /// Creates the export.
    public init(settings: Settings, now: Int? = nil) {
        self.settings = settings
        self.now = now
    }

    /// The file name.
    public static let fileName = "kalenteri.json"

    /// The venue name online events may be mapped under when their venue is not mapped.
    static let onlinePlaceKey = Municipality.online.rawValue

    /// Events the create list never holds: the API refuses an event that has ended
    /// (`EventSerializer.validate`), creates every event as scheduled (`EventSerializer.create`),
    /// and lets no client set `EventPostponed` (`EventSerializer.update`).
    public func exclusion(for event: Event) -> Diagnostic? {
        if let now, EventTimes.isPast(event, now: now) {
            return .warning(
                event.position(of: event.end == nil ? "start" : "end"),
                "'\(event.id)' is over; the regional calendar refuses events that have ended: left out")
        }
        switch event.status {
        case .scheduled:
            return nil
        case .cancelled:
            return .warning(
                event.position(of: "status"),
                "'\(event.id)' is cancelled: left out of the create list (`tiedote publish kalenteri` cancels it if it was published)")
        case .postponed:
            return .warning(
                event.position(of: "status"),
                "'\(event.id)' is postponed, which the calendar does not let a client set: left out until it has a new time (`tiedote publish kalenteri` postpones it if it was published)")
        }
    }

    /// Checks the place, keywords, name and short text against the calendar's rules.
    public func entry(for event: Event, diagnostics: inout [Diagnostic]) -> Entry? {
        let placeID = place(for: event, diagnostics: &diagnostics)
        let keywordIDs = keywords(for: event, diagnostics: &diagnostics)
        let name = event.title.trimmingSpaces
        let short = event.short.trimmingSpaces
        checkPlainText(name, key: "title", of: event, diagnostics: &diagnostics)
        checkPlainText(short, key: "short", of: event, diagnostics: &diagnostics)
        // The API escapes plain text and counts the limits on what it stores
        // (`EventSerializer.validate`: `len(short_description) > 160` after `clean_text_fields`).
        let sentName = LinkedEventsHTML.plainText(name)
        let sentShort = LinkedEventsHTML.plainText(short)
        let limits = [
            LinkedEventsFormat.nameLimit.check(sentName, field: "title (escaped as the calendar stores it)", target: "the regional calendar", at: event.position(of: "title")),
            LinkedEventsFormat.shortDescriptionLimit.check(sentShort, field: "short (escaped as the calendar stores it)", target: "the regional calendar", at: event.position(of: "short")),
        ]
        diagnostics += limits.compactMap { $0 }

        if event.image != nil {
            diagnostics.append(
                .warning(
                    event.position(of: "image"),
                    "the regional calendar takes images only as its own image resources: add the image in the calendar after the import"
                ))
        }
        guard let placeID else { return nil }
        // Every language with a name needs a description: the short text stands in for an
        // empty body.
        let html = event.description.trimmingSpaces.isEmpty
            ? "<p>\(short.markupEscaped)</p>" : LinkedEventsHTML.sanitize(EventText.html(event.description))
        let infoURL = event.registration.flatMap { WebLink.isHTTP($0) ? $0 : nil }
        return Entry(
            event: event.with(title: sentName, short: sentShort), placeID: placeID, keywordIDs: keywordIDs,
            descriptionHTML: html, infoURL: infoURL,
            provider: LinkedEventsHTML.plainText(event.organizer?.trimmingSpaces ?? settings.network.name))
    }

    /// The place `@id` the venue maps to (online events may use the `verkossa` mapping).
    func place(for event: Event, diagnostics: inout [Diagnostic]) -> String? {
        let mappings = settings.exports.kalenteri
        let key = mappings.places[event.venue] != nil ? event.venue : (event.municipality.isOnline ? Self.onlinePlaceKey : event.venue)
        guard let raw = mappings.places[key] else {
            diagnostics.append(
                .error(
                    event.position(of: "venue"),
                    "venue '\(event.venue)' has no place in the regional calendar: add \"\(event.venue): <place id>\" under exports.kalenteri.places in tiedote.yml"
                ))
            return nil
        }
        return resolved(raw, kind: .place, path: "exports.kalenteri.places.\(key)", diagnostics: &diagnostics)
    }

    /// Keyword `@id`s from the category, then the mapped tags, each once.
    func keywords(for event: Event, diagnostics: inout [Diagnostic]) -> [String] {
        let mappings = settings.exports.kalenteri
        if mappings.keywords[event.category] == nil {
            diagnostics.append(
                .error(
                    event.position(of: "category"),
                    "category '\(event.category)' has no keyword in the regional calendar: add \"\(event.category): <keyword id>\" under exports.kalenteri.keywords in tiedote.yml"
                ))
        }
        var ids: [String] = []
        for key in [event.category] + event.tags {
            guard let raw = mappings.keywords[key],
                let id = resolved(raw, kind: .keyword, path: "exports.kalenteri.keywords.\(key)", diagnostics: &diagnostics)
            else { continue }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// A mapping value as its `@id` URL; an unusable one is an error at its line in `tiedote.yml`.
    func resolved(_ raw: String, kind: LinkedEventsReference.Kind, path: String, diagnostics: inout [Diagnostic]) -> String? {
        switch settings.exports.kalenteri.reference(raw, kind: kind) {
        case let .success(url):
            return url
        case let .failure(problem):
            let diagnostic = Diagnostic.error(settings.position(of: path), "\(path): \(problem)")
            if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
            return nil
        }
    }

    /// Reports an empty value, HTML elements (error) and other bracketed text (warning) in a
    /// field the calendar shows as plain text.
    func checkPlainText(_ text: String, key: String, of event: Event, diagnostics: inout [Diagnostic]) {
        let position = event.position(of: key)
        if text.isEmpty {
            diagnostics.append(.error(position, "the regional calendar needs a \(key): fill in '\(key)'"))
        }
        switch Self.markup(in: text) {
        case let .element(tag)?:
            diagnostics.append(
                .error(
                    position, "\(key) contains the HTML tag '\(tag)'; the regional calendar takes plain text here: remove the tag"))
        case let .brackets(snippet)?:
            diagnostics.append(
                .warning(
                    position,
                    "\(key) contains '\(snippet)', which the regional calendar stores escaped and counts as \(LinkedEventsHTML.plainText(snippet).count) characters: check the entry after the import"
                ))
        case nil:
            break
        }
    }

    /// `kalenteri.json`.
    public func files(for entries: [Entry]) -> [ExportFile] {
        [ExportFile(name: Self.fileName, text: json(entries).serialized() + "\n")]
    }

    /// The entries as a JSON array of event objects.
    public func json(_ entries: [Entry]) -> JSONValue {
        .array(entries.map(object))
    }

    /// One entry's event object, keys in `LinkedEventsFormat.fields` order.
    public func object(_ entry: Entry) -> JSONValue {
        .object(LinkedEventsFormat.fields.map { ($0.key, $0.value(entry)) })
    }

    /// Angle-bracket text in a plain-text field: a known HTML element, or other `<word…>`.
    enum Markup: Equatable {
        /// A known HTML element such as `<b>`.
        case element(String)
        /// Other text in angle brackets, such as `<Tuottaja>`.
        case brackets(String)
    }

    /// The first tag-like text in `text`: `<b>`, `</p>` and `<br/>` are elements; `<Tuottaja>`
    /// is only brackets; `a < b` is neither.
    static func markup(in text: String) -> Markup? {
        let characters = Array(text)
        var index = 0
        var found: Markup?
        while index < characters.count {
            defer { index += 1 }
            guard characters[index] == "<" else { continue }
            var cursor = index + 1
            if cursor < characters.count, characters[cursor] == "/" { cursor += 1 }
            let nameStart = cursor
            while cursor < characters.count, characters[cursor].isLetter || characters[cursor].isNumber { cursor += 1 }
            guard cursor > nameStart, characters[nameStart].isLetter else { continue }
            let name = String(characters[nameStart..<cursor]).lowercased()
            let end = characters[cursor...].firstIndex(of: ">").map { $0 + 1 } ?? cursor
            let snippet = String(characters[index..<end])
            if LinkedEventsFormat.htmlTagNames.contains(name) { return .element(snippet) }
            if found == nil, end > cursor { found = .brackets(snippet) }
        }
        return found
    }
}

extension Event {
    /// A copy with the given title and short text.
    func with(title: String, short: String) -> Event {
        var copy = self
        copy.title = title
        copy.short = short
        return copy
    }
}
