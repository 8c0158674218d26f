import TiedoteCore

extension Publisher {
    /// The event file's key for each field of the API's body, so a refusal points at the line
    /// to change.
    static let fieldKeys = [
        "name": "title", "short_description": "short", "description": "description", "start_time": "start",
        "end_time": "end", "location": "venue", "keywords": "category", "offers": "price", "info_url": "registration",
        "provider": "organizer", "event_status": "status",
    ]

    /// A 4xx answer as one error per field error, each at its key's line in the event file.
    static func refusal(_ status: Int, _ errors: [(field: String, message: String)], event: Event) -> [Diagnostic] {
        let items = errors.isEmpty ? [(field: "", message: "no reason given")] : errors
        return items.map { item in
            var key = fieldKeys[item.field] ?? ""
            if key == "end", event.end == nil { key = "start" }
            let field = item.field.isEmpty ? "" : " \(item.field):"
            return .error(event.position(of: key), "the regional calendar refused '\(event.id)' (\(status)):\(field) \(item.message)")
        }
    }

    /// True when the API's `start_time` is the event's start: the same instant for a timed
    /// event (whatever offset or `Z` the API writes), the same date for an all-day one.
    static func sameStart(_ text: String, _ start: LocalDateTime) -> Bool {
        guard let time = start.time else { return text.hasPrefix(start.date.description) }
        return instant(text) == Helsinki.instant(start.date, time)
    }

    /// `2026-12-02T12:00:00Z`, `2026-12-02T14:00:00+02:00` or with fractions, as Unix seconds.
    static func instant(_ text: String) -> Int? {
        let characters = Array(text)
        guard characters.count >= 19, let date = LocalDate(iso: String(characters[0..<10])),
            let hour = Int(String(characters[11..<13])), let minute = Int(String(characters[14..<16])),
            let second = Int(String(characters[17..<19]))
        else { return nil }
        var rest = characters[19...].drop { $0 == "." || $0.isNumber }
        var offset = 0
        if rest.first == "+" || rest.first == "-" {
            let sign = rest.first == "-" ? -1 : 1
            rest = rest.dropFirst()
            let digits = rest.filter(\.isNumber)
            guard digits.count == 4, let hours = Int(String(digits.prefix(2))), let minutes = Int(String(digits.suffix(2))) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else if rest.first != "Z" {
            return nil
        }
        return date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
    }
}
