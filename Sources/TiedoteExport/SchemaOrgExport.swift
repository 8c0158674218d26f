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
    }

    /// The network's settings (name and web site).
    public var settings: Settings

    /// Creates the export.
    public init(settings: Settings) { self.settings = settings }

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
        return Entry(
            event: event, address: address, description: body.isEmpty ? event.short : body, url: link,
            prices: prices, organizer: organizer,
            organizerURL: organizer == settings.network.name ? settings.network.website : nil)
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

    /// The euro amounts in a price text, in order: `"10 € / 5 €"` → `["10", "5"]`,
    /// `"12,50 €"` → `["12.50"]`.
    static func euroAmounts(in text: String) -> [String] {
        var amounts: [String] = []
        var current = ""
        func flush() {
            var number = current
            while let last = number.last, last == "." { number.removeLast() }
            if !number.isEmpty, !amounts.contains(number) { amounts.append(number) }
            current = ""
        }
        for character in text {
            if character.isASCII && character.isNumber {
                current.append(character)
            } else if (character == "," || character == "."), !current.isEmpty, !current.contains(".") {
                current.append(".")
            } else {
                flush()
            }
        }
        flush()
        return amounts
    }
}
