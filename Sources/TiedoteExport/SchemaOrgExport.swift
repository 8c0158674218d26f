import TiedoteCore

/// The `jsonld` export: a JSON array of schema.org `Event` objects for the network's web
/// pages (each object carries its own `@context`, to be placed in a page on its own).
public struct SchemaOrgExport: EventExport {
    /// One event, with the values the property table reads.
    public struct Entry: Sendable, Hashable {
        /// The event.
        public var event: Event
        /// The address split into street, postal code and locality.
        public var address: PostalAddress
        /// The description as plain text (the short text when the body is empty).
        public var description: String
        /// The event's link (registration) when it is an http(s) URL.
        public var url: String?
        /// Prices in euros as schema.org writes them (`"10"`, `"12.50"`); `"0"` when free.
        public var prices: [String]
        /// The organiser (the network when the event names none).
        public var organizer: String
        /// The organiser's web site, known for the network itself.
        public var organizerURL: String?
        /// The event's own page: its page on the network's site when a website is set, else
        /// the registration link.
        public var page: String?
        /// The day the offers are valid from (`YYYY-MM-DDT00:00:00+02:00`).
        public var validFrom: String
    }

    /// The network's settings (name and web site).
    public var settings: Settings
    /// The present (Unix seconds): the offers are valid from its day.
    public var now: Int

    /// Creates the export.
    public init(settings: Settings, now: Int = 0) {
        self.settings = settings
        self.now = now
    }

    /// The file name.
    public static let fileName = "events.jsonld"

    /// Splits the address, reads the prices and checks what search engines need.
    public func entry(for event: Event, diagnostics: inout [Diagnostic]) -> Entry? {
        let link = event.registration.flatMap { WebLink.isHTTP($0) ? $0 : nil }
        let address = PostalAddress(address: event.address, municipality: event.municipality)
        if event.municipality.isOnline {
            if link == nil {
                diagnostics.append(
                    .error(
                        event.position(of: "registration"),
                        "an online event needs a link for its schema.org VirtualLocation: add 'registration' with the event's web address"
                    ))
            }
        } else if address.postalCode == nil {
            diagnostics.append(
                .warning(
                    event.position(of: event.address == nil ? "venue" : "address"),
                    "no postal code in the address; search engines place events by it: write the address as \"Street 1, 40100 \(event.municipality.rawValue)\""
                ))
        }
        var prices: [String] = []
        if event.isFree {
            prices = ["0"]
        } else if let text = event.price {
            prices = Self.euroAmounts(in: text)
            if prices.isEmpty {
                diagnostics.append(
                    .warning(
                        event.position(of: "price"),
                        "price '\(text)' has no amount in euros; the schema.org offer gets no price: write it like \"10 € / 5 €\""
                    ))
            }
        }
        let body = EventText.plain(event.description)
        let organizer = event.organizer?.trimmingSpaces ?? settings.network.name
        let page = settings.network.website.map { SchemaOrgFormat.eventPage(website: $0, id: event.calendarID) } ?? link
        let today = Helsinki.local(at: now).date
        return Entry(
            event: event, address: address, description: body.isEmpty ? event.short : body, url: link,
            prices: prices, organizer: organizer,
            organizerURL: organizer == settings.network.name ? settings.network.website : nil, page: page,
            validFrom: Helsinki.iso8601(today, .midnight))
    }

    /// `events.jsonld`, safe to paste inside a `<script>` element.
    public func files(for entries: [Entry]) -> [ExportFile] {
        [ExportFile(name: Self.fileName, text: json(entries).serialized(escapingHTML: true) + "\n")]
    }

    /// The entries as a JSON array of `Event` objects.
    public func json(_ entries: [Entry]) -> JSONValue {
        .array(entries.map(object))
    }

    /// One entry's `Event` object, in `SchemaOrgFormat.properties` order.
    public func object(_ entry: Entry) -> JSONValue {
        .object(SchemaOrgFormat.properties.compactMap { property in property.value(entry).map { (property.name, $0) } })
    }

    /// The euro amounts in a price text, in order, each once: only numbers written with a
    /// currency (`15 €`, `€15`, `15 euroa`, `15 EUR`), so a date in the text is not a price:
    /// `"Ennakko 1.12. asti 15 €, ovelta 20 €"` → `["15", "20"]`, `"12,50 €"` → `["12.50"]`.
    static func euroAmounts(in text: String) -> [String] {
        let characters = Array(text)
        var amounts: [String] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber else {
                index += 1
                continue
            }
            let start = index
            var number = ""
            while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                number.append(characters[index])
                index += 1
            }
            // A decimal part is one or two digits after `,` or `.` (12,50), not a date's month.
            if index + 1 < characters.count, characters[index] == "," || characters[index] == ".",
                characters[index + 1].isASCII, characters[index + 1].isNumber
            {
                var decimals = ""
                var cursor = index + 1
                while cursor < characters.count, characters[cursor].isASCII, characters[cursor].isNumber {
                    decimals.append(characters[cursor])
                    cursor += 1
                }
                let followedByDot = cursor < characters.count && characters[cursor] == "."
                if decimals.count <= 2 && !followedByDot {
                    number += "." + decimals
                    index = cursor
                } else {
                    // `1.12.`: a date; skip it whole.
                    index = cursor + (followedByDot ? 1 : 0)
                    continue
                }
            }
            let before = String(characters[max(0, start - 4)..<start]).lowercased()
            let after = String(characters[index..<min(characters.count, index + 6)]).lowercased()
            let trimmedAfter = after.drop { $0 == " " || $0 == "\u{A0}" || $0 == "." }
            let currencyAfter = trimmedAfter.hasPrefix("€") || trimmedAfter.hasPrefix("eur")
                || (trimmedAfter.hasPrefix("e") && !(trimmedAfter.dropFirst().first?.isLetter ?? false))
            let currencyBefore = before.trimmingCharacters(in: " \u{A0}").hasSuffix("€") || before.hasSuffix("eur ")
            if currencyAfter || currencyBefore, !amounts.contains(number) { amounts.append(number) }
        }
        return amounts
    }
}
