import TiedoteCore

/// Cell values as people type them in spreadsheets, turned into the list file's forms.
enum ImportValue {
    /// A municipality by name, also without the dots (`Jyvaskyla`, `AANEKOSKI`).
    static func municipality(_ text: String) -> Municipality? {
        let wanted = fold(text)
        return Municipality.keskiSuomi.first { fold($0.rawValue) == wanted }
    }

    /// Lower case with ä, ö, å as a, o, a: how Finnish names are compared leniently.
    static func fold(_ text: String) -> String {
        String(text.trimmingSpaces.lowercased().map { character -> Character in
            switch character {
            case "ä", "å": "a"
            case "ö": "o"
            default: character
            }
        })
    }

    /// Known language names (Finnish and English) → code.
    static let languages: [String: String] = [
        "fi": "fi", "suomi": "fi", "finnish": "fi", "fin": "fi", "suomeksi": "fi",
        "sv": "sv", "ruotsi": "sv", "swedish": "sv", "svenska": "sv", "swe": "sv", "ruotsiksi": "sv",
        "en": "en", "englanti": "en", "english": "en", "eng": "en", "englanniksi": "en",
    ]

    /// A language code (`fi` when empty), or nil when the text is no language we know.
    static func language(_ text: String) -> String? {
        let key = fold(text)
        if key.isEmpty { return "fi" }
        if let code = languages[key] { return code }
        if (2...3).contains(key.count), key.allSatisfy({ $0.isASCII && $0.isLetter }) { return key }
        return nil
    }

    /// Interests from a cell: `;` or `,` between them, duplicates dropped.
    static func interests(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
            .map(\.trimmingSpaces)
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }

    /// A consent date as ISO text: from `2026-03-01`, `1.3.2026`, `01.03.2026 14.05` or
    /// `1.3.2026 14:05`; empty stays empty; nil when it is not a date.
    static func date(_ text: String) -> String? {
        let text = text.trimmingSpaces
        if text.isEmpty { return "" }
        if ListFile.isISODate(text) { return text }
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let dateParts = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard dateParts.count == 3 || (dateParts.count == 4 && dateParts[3].isEmpty),
            let day = Int(dateParts[0]), let month = Int(dateParts[1]), let year = Int(dateParts[2]),
            dateParts[2].count == 4, let date = LocalDate(year: year, month: month, day: day)
        else { return nil }
        guard parts.count == 2 else { return date.description }
        let timeParts = parts[1].trimmingSpaces.split(whereSeparator: { $0 == ":" || $0 == "." })
        guard timeParts.count >= 2, let hour = Int(timeParts[0]), let minute = Int(timeParts[1]),
            let time = LocalTime(hour: hour, minute: minute)
        else { return nil }
        return LocalDateTime(date: date, time: time).description
    }
}
