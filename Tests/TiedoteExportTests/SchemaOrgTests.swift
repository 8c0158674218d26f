import Testing
import TiedoteCore
@testable import TiedoteExport

struct SchemaOrgTests {
    static let export = SchemaOrgExport(settings: Sample.settings)

    static func object(_ event: Event) throws -> JSONValue {
        var diagnostics: [Diagnostic] = []
        let entry = try #require(Self.export.entry(for: event, diagnostics: &diagnostics))
        return Self.export.object(entry)
    }

    @Test func placeWithPostalAddress() throws {
        let object = try Self.object(Sample.event())
        #expect(object["@context"] == .string("https://schema.org"))
        #expect(object["@type"] == .string("Event"))
        #expect(object["startDate"] == .string("2026-12-02T14:00:00+02:00"))
        #expect(object["endDate"] == .string("2026-12-02T16:00:00+02:00"))
        #expect(object["eventAttendanceMode"] == .string("https://schema.org/OfflineEventAttendanceMode"))
        #expect(
            object["location"]
                == .object([
                    ("@type", .string("Place")), ("name", .string("Villa Rana")),
                    (
                        "address",
                        .object([
                            ("@type", .string("PostalAddress")), ("streetAddress", .string("Kauppakatu 1")),
                            ("postalCode", .string("40100")), ("addressLocality", .string("Jyväskylä")),
                            ("addressRegion", .string("Keski-Suomi")), ("addressCountry", .string("FI")),
                        ])
                    ),
                ]))
        #expect(object["description"] == .string("Teemana on resilienssi.\n\nTervetuloa!"))
    }

    @Test func onlineEventHasVirtualLocation() throws {
        let object = try Self.object(Sample.event(venue: "Teams", address: nil, municipality: .online))
        #expect(object["eventAttendanceMode"] == .string("https://schema.org/OnlineEventAttendanceMode"))
        #expect(
            object["location"]
                == .object([
                    ("@type", .string("VirtualLocation")),
                    ("url", .string("https://tuottajaverkosto.example.fi/ilmoittaudu")),
                ]))
    }

    @Test func onlineEventWithoutLinkIsAnError() {
        let event = Sample.event(municipality: .online, registration: nil)
        let report = Self.export.export([event])
        #expect(report.leftOut == [event.id])
        #expect(report.diagnostics.first?.position == event.position(of: "registration"))
    }

    @Test(arguments: [
        (Event.Status.scheduled, "https://schema.org/EventScheduled"),
        (.cancelled, "https://schema.org/EventCancelled"), (.postponed, "https://schema.org/EventPostponed"),
    ])
    func statusMaps(status: Event.Status, expected: String) throws {
        #expect(try Self.object(Sample.event(status: status))["eventStatus"] == .string(expected))
    }

    @Test(arguments: [
        ("10 € / 5 €", ["10", "5"]), ("12,50 €", ["12.50"]), ("15€", ["15"]), ("Vapaaehtoinen maksu", []),
        ("5 € (opiskelijat 3 €)", ["5", "3"]), ("10. €", ["10"]),
        // Only amounts written with a currency: a date is not a price.
        ("Ennakko 1.12. asti 15 €, ovelta 20 €", ["15", "20"]), ("Ennakko 1.12.2026 asti 15 €", ["15"]),
        ("€12", ["12"]), ("8 euroa", ["8"]), ("10 EUR", ["10"]), ("Ovet klo 18, liput 25 e", ["25"]),
        ("2 kpl 10 €", ["10"]), ("Klo 19.30 alkaen 7,5 €", ["7.5"]),
    ])
    func euroAmounts(text: String, expected: [String]) {
        #expect(SchemaOrgExport.euroAmounts(in: text) == expected)
    }

    @Test func offersOnePerPrice() throws {
        let offers = try Self.object(Sample.event(price: "10 € / 5 €"))["offers"]
        guard case let .array(items)? = offers else {
            Issue.record("no offers")
            return
        }
        #expect(items.map { $0["price"] } == [.string("10"), .string("5")])
        #expect(items.allSatisfy { $0["priceCurrency"] == .string("EUR") && $0["@type"] == .string("Offer") })
    }

    @Test func freeEventOffersZero() throws {
        let offers = try Self.object(Sample.event(price: nil))["offers"]
        #expect(offers == .array([.object([
            ("@type", .string("Offer")), ("price", .string("0")), ("priceCurrency", .string("EUR")),
            ("availability", .string("https://schema.org/InStock")), ("validFrom", .string("1970-01-01T00:00:00+02:00")),
            ("url", .string("https://tuottajaverkosto.example.fi/ilmoittaudu")),
        ])]))
    }

    @Test func eventURLIsItsPageOnTheSiteAndOrganizerHasAURL() throws {
        let object = try Self.object(Sample.event())
        #expect(object["url"] == .string("https://tuottajaverkosto.example.fi/tapahtumat/2026-12-02-tuottajakahvit-villa-rana.html"))
        #expect(object["organizer"]?["url"] == .string("https://tuottajaverkosto.example.fi"))
    }

    @Test func outputIsSafeInsideAScriptElement() throws {
        let report = Self.export.export([Sample.event(title: "</script><b>")])
        let text = try #require(report.files.first?.text)
        #expect(!text.contains("</script>"))
        #expect(text.contains("\\u003c/script\\u003e"))
    }
}

struct PostalAddressTests {
    @Test(arguments: [
        ("Kauppakatu 1, 40100 Jyväskylä", Municipality.jyvaskyla, "Kauppakatu 1", "40100", "Jyväskylä"),
        ("Kauppakatu 1", .jyvaskyla, "Kauppakatu 1", nil, "Jyväskylä"),
        ("Humak, Kauppakatu 1, 40100 Jyväskylä", .jyvaskyla, "Humak, Kauppakatu 1", "40100", "Jyväskylä"),
        ("40950 Muurame", .muurame, nil, "40950", "Muurame"),
        ("Tie 4, 4010 Jyväskylä", .jyvaskyla, "Tie 4, 4010 Jyväskylä", nil, "Jyväskylä"),
        (nil, .laukaa, nil, nil, "Laukaa"),
    ] as [(String?, Municipality, String?, String?, String)])
    func splitsTheAddress(address: String?, municipality: Municipality, street: String?, code: String?, locality: String) {
        #expect(
            PostalAddress(address: address, municipality: municipality)
                == PostalAddress(street: street, postalCode: code, locality: locality))
    }
}
