import TiedoteCore

/// Events and settings built in code, so each test says exactly what it feeds the exports.
enum Sample {
    static let settings = Settings(
        network: .init(
            name: "Keski-Suomen tuottajaverkosto", domain: "tuottajaverkosto.example.fi",
            website: "https://tuottajaverkosto.example.fi"),
        coordinators: [
            Coordinator(id: "humak", name: "Humak", email: "humak@example.fi"),
            Coordinator(id: "liitto", name: "Keski-Suomen liitto", email: "liitto@example.fi"),
        ],
        rotation: Rotation(order: ["humak", "liitto"], firstMonth: month("2026-09"), monthsPerTurn: 4),
        categories: ["Tuottajakahvit", "Seminaarit ja keskustelut", "Musiikki", "Tanssi"],
        exports: .init(
            menoinfo: .init(categories: ["Tuottajakahvit": "Seminaarit ja keskustelut"], contactEmail: nil),
            kalenteri: .init(
                places: [
                    "Villa Rana": "kskalenteri:villa-rana",
                    "verkossa": "https://kalenteri.example.fi/v1/place/kskalenteri:internet/",
                ],
                keywords: [
                    "Tuottajakahvit": "yso:p4952",
                    "Seminaarit ja keskustelut": "yso:p4952",
                    "Musiikki": "https://kalenteri.example.fi/v1/keyword/yso:p1808/",
                    "jazz": "yso:p2841",
                ],
                apiURL: "https://kalenteri.example.fi/v1/")))

    static func month(_ text: String) -> YearMonth {
        guard let month = YearMonth(iso: text) else { fatalError("bad month \(text)") }
        return month
    }

    static func at(_ text: String) -> LocalDateTime {
        guard let value = LocalDateTime(iso: text) else { fatalError("bad time \(text)") }
        return value
    }

    static func path(_ id: String) -> String { "Events/\(id).md" }

    /// Positions as the loader would record them: one key per line from line 2.
    static func positions(_ id: String) -> [String: SourcePosition] {
        var positions = ["": SourcePosition(path: path(id))]
        for (index, key) in Event.keys.enumerated() {
            positions[key] = SourcePosition(path: path(id), line: index + 2, column: key.count + 3)
        }
        positions["description"] = SourcePosition(path: path(id), line: 20, column: 1)
        return positions
    }

    /// The December coffee at Villa Rana, timed, free, with Markdown in its description.
    static func event(
        id: String = "2026-12-02-tuottajakahvit-villa-rana",
        title: String = "Tuottajakahvit: resilienssi ja palautuminen",
        start: String = "2026-12-02T14:00", end: String? = "2026-12-02T16:00",
        venue: String = "Villa Rana", address: String? = "Kauppakatu 1, 40100 Jyväskylä",
        municipality: Municipality = .jyvaskyla, category: String = "Tuottajakahvit",
        short: String = "Miten tuottaja jaksaa sesongista toiseen?", price: String? = "Maksuton",
        registration: String? = "https://tuottajaverkosto.example.fi/ilmoittaudu",
        organizer: String? = nil, image: String? = nil, imageAlt: String? = nil,
        status: Event.Status = .scheduled, tags: [String] = ["tuottajakahvit"],
        description: String = "Teemana on **resilienssi**.\n\nTervetuloa!"
    ) -> Event {
        Event(
            id: id, title: title, start: at(start), end: end.map(at), venue: venue, address: address,
            municipality: municipality, category: category, short: short, price: price, registration: registration,
            organizer: organizer, image: image, imageAlt: imageAlt, status: status, tags: tags,
            description: description, positions: positions(id))
    }
}
