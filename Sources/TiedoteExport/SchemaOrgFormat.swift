import TiedoteCore

/// The schema.org `Event` object in one place: its properties in output order and each
/// one's value.
public enum SchemaOrgFormat {
    /// One property and how to get its value (nil = leave it out).
    public struct Property: Sendable {
        /// The property name (`startDate`).
        public var name: String
        /// The value for an entry, or nil when the event has none.
        public var value: @Sendable (SchemaOrgExport.Entry) -> JSONValue?
    }

    /// Where every event of the network is.
    public static let region = "Keski-Suomi"
    /// ISO 3166 country code.
    public static let country = "FI"
    /// ISO 4217 currency code.
    public static let currency = "EUR"

    /// An event's page on the network's site (`tiedote site` writes it there).
    public static func eventPage(website: String, id: String) -> String {
        var base = website
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/tapahtumat/\(id).html"
    }

    /// `availability` of every offer: tickets or places are on offer until the event.
    public static let availability = "https://schema.org/InStock"

    /// `eventStatus` for each event status.
    public static func status(_ status: Event.Status) -> String {
        switch status {
        case .scheduled: "https://schema.org/EventScheduled"
        case .cancelled: "https://schema.org/EventCancelled"
        case .postponed: "https://schema.org/EventPostponed"
        }
    }

    /// `eventAttendanceMode`.
    public static func attendanceMode(online: Bool) -> String {
        online ? "https://schema.org/OnlineEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode"
    }

    /// ISO 8601 with the Helsinki offset, or a bare date for all-day values.
    public static func date(_ value: LocalDateTime) -> String {
        guard let time = value.time else { return value.date.description }
        return Helsinki.iso8601(value.date, time)
    }

    /// The object's properties, in output order.
    public static let properties: [Property] = [
        Property(name: "@context") { _ in .string("https://schema.org") },
        Property(name: "@type") { _ in .string("Event") },
        Property(name: "name") { .string($0.event.title) },
        Property(name: "startDate") { .string(date($0.event.start)) },
        // The same end as every other export (a timed event without one: the next midnight).
        Property(name: "endDate") { .string(date(EventTimes.end(of: $0.event))) },
        Property(name: "eventStatus") { .string(status($0.event.status)) },
        Property(name: "eventAttendanceMode") { .string(attendanceMode(online: $0.event.municipality.isOnline)) },
        Property(name: "location") { location($0) },
        Property(name: "url") { entry in entry.page.map { .string($0) } },
        Property(name: "description") { .string($0.description) },
        Property(name: "image") { entry in entry.event.image.map { .array([.string($0)]) } },
        Property(name: "offers") { entry in
            guard !entry.prices.isEmpty else { return nil }
            return .array(
                entry.prices.map { price in
                    var offer: [(String, JSONValue)] = [
                        ("@type", .string("Offer")), ("price", .string(price)), ("priceCurrency", .string(currency)),
                        ("availability", .string(availability)), ("validFrom", .string(entry.validFrom)),
                    ]
                    if let url = entry.url ?? entry.page { offer.append(("url", .string(url))) }
                    return .object(offer)
                })
        },
        Property(name: "organizer") { entry in
            var organizer: [(String, JSONValue)] = [("@type", .string("Organization")), ("name", .string(entry.organizer))]
            if let url = entry.organizerURL { organizer.append(("url", .string(url))) }
            return .object(organizer)
        },
    ]

    /// A `VirtualLocation` for online events, else a `Place` with its `PostalAddress`.
    static func location(_ entry: SchemaOrgExport.Entry) -> JSONValue? {
        let event = entry.event
        if event.municipality.isOnline {
            guard let url = entry.url else { return nil }
            return .object([("@type", .string("VirtualLocation")), ("url", .string(url))])
        }
        var address: [(String, JSONValue)] = [("@type", .string("PostalAddress"))]
        if let street = entry.address.street { address.append(("streetAddress", .string(street))) }
        if let code = entry.address.postalCode { address.append(("postalCode", .string(code))) }
        address += [
            ("addressLocality", .string(entry.address.locality)), ("addressRegion", .string(region)),
            ("addressCountry", .string(country)),
        ]
        return .object([("@type", .string("Place")), ("name", .string(event.venue)), ("address", .object(address))])
    }
}
