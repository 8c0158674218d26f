import Testing
import TiedoteCore
@testable import TiedoteExport

struct LinkedEventsTests {
    static let export = LinkedEventsExport(settings: Sample.settings)

    static func object(_ event: Event) throws -> JSONValue {
        var diagnostics: [Diagnostic] = []
        let entry = try #require(Self.export.entry(for: event, diagnostics: &diagnostics))
        return Self.export.object(entry)
    }

    @Test func keysFollowFormatsOrder() throws {
        guard case let .object(members) = try Self.object(Sample.event()) else {
            Issue.record("not an object")
            return
        }
        #expect(
            members.map(\.0) == [
                "type_id", "name", "short_description", "description", "start_time", "end_time", "location",
                "keywords", "offers", "info_url", "provider", "event_status", "images", "external_links",
            ])
    }

    @Test(arguments: [
        // start, end, start_time, end_time
        ("2026-12-02T14:00", "2026-12-02T16:00", "2026-12-02T14:00:00+02:00", JSONValue.string("2026-12-02T16:00:00+02:00")),
        ("2027-03-27T18:00", "2027-03-28T16:00", "2027-03-27T18:00:00+02:00", .string("2027-03-28T16:00:00+03:00")),
        ("2027-10-30T20:00", "2027-10-31T02:00", "2027-10-30T20:00:00+03:00", .string("2027-10-31T02:00:00+03:00")),
        // No end: the next midnight, as the API itself decides.
        ("2027-10-31T12:00", nil, "2027-10-31T12:00:00+02:00", .string("2027-11-01T00:00:00+02:00")),
        ("2027-06-12", nil, "2027-06-12", .string("2027-06-12")),
        ("2027-03-26", "2027-03-28", "2027-03-26", .string("2027-03-28")),
    ] as [(String, String?, String, JSONValue)])
    func timesCarryTheirOffset(start: String, end: String?, startTime: String, endTime: JSONValue) throws {
        let object = try Self.object(Sample.event(start: start, end: end))
        #expect(object["start_time"] == .string(startTime))
        #expect(object["end_time"] == endTime)
    }

    /// The API creates every event as scheduled and lets no client set EventPostponed: a
    /// create body always says EventScheduled, and cancelled or postponed events stay out of
    /// the create list with a warning at their `status:` line.
    @Test(arguments: [Event.Status.scheduled, .cancelled, .postponed])
    func createBodiesAreAlwaysScheduled(status: Event.Status) throws {
        #expect(try Self.object(Sample.event(status: status))["event_status"] == .string("EventScheduled"))
        let event = Sample.event(status: status)
        let report = Self.export.export([event])
        #expect(report.exported == (status == .scheduled ? [event.id] : []))
        #expect(report.skipped == (status == .scheduled ? [] : [event.id]))
        #expect(!report.hasErrors)
        #expect(report.diagnostics.map(\.position) == (status == .scheduled ? [] : [event.position(of: "status")]))
    }

    @Test func pastEventsAreLeftOutWithAWarning() {
        let export = LinkedEventsExport(settings: Sample.settings, now: Helsinki.instant(Sample.at("2026-12-02T16:00").date, Sample.at("2026-12-02T16:00").time ?? .midnight))
        let over = Sample.event(id: "over", start: "2026-12-02T14:00", end: "2026-12-02T16:00")
        let noEnd = Sample.event(id: "no-end", start: "2026-12-02T10:00", end: nil)
        let later = Sample.event(id: "later", start: "2026-12-02T14:00", end: "2026-12-02T16:01")
        let report = export.export([over, noEnd, later])
        #expect(report.exported == ["no-end", "later"])
        #expect(report.skipped == ["over"])
        #expect(report.diagnostics.map { $0.severity } == [Diagnostic.Severity.warning])
    }

    @Test func freeAndPaidOffers() throws {
        #expect(try Self.object(Sample.event())["offers"] == .array([.object([("is_free", .bool(true))])]))
        #expect(
            try Self.object(Sample.event(price: "10 € / 5 €"))["offers"]
                == .array([
                    .object([
                        ("is_free", .bool(false)), ("price", .object([("fi", .string("10 € / 5 €"))])),
                        ("info_url", .object([("fi", .string("https://tuottajaverkosto.example.fi/ilmoittaudu"))])),
                    ])
                ]))
    }

    @Test func keywordsFromCategoryAndMappedTagsEachOnce() throws {
        let event = Sample.event(category: "Musiikki", tags: ["jazz", "unmapped", "jazz"])
        #expect(
            try Self.object(event)["keywords"]
                == .array([
                    .object([("@id", .string("https://kalenteri.example.fi/v1/keyword/yso:p1808/"))]),
                    .object([("@id", .string("https://kalenteri.example.fi/v1/keyword/yso:p2841/"))]),
                ]))
    }

    @Test func plainTextIsSentEscapedAsTheAPIStoresIt() throws {
        let object = try Self.object(Sample.event(title: "A & <B>", short: "x > y"))
        #expect(object["name"] == .object([("fi", .string("A & &lt;B&gt;"))]))
        #expect(object["short_description"] == .object([("fi", .string("x &gt; y"))]))
    }

    @Test func bareIDsAndFullIDsGiveTheSameURLs() throws {
        let object = try Self.object(Sample.event())
        #expect(object["location"] == .object([("@id", .string("https://kalenteri.example.fi/v1/place/kskalenteri:villa-rana/"))]))
    }

    @Test func referenceOutsideTheAPIIsAnErrorAtItsSetting() {
        var settings = Sample.settings
        settings.exports.kalenteri.places["Villa Rana"] = "https://kalenteri.example.fi/place/villa-rana/"
        let report = LinkedEventsExport(settings: settings).export([Sample.event()])
        #expect(report.leftOut == [Sample.event().id])
        #expect(report.diagnostics.first?.position == SourcePosition(path: "tiedote.yml"))
        #expect(report.diagnostics.first?.message.hasPrefix("exports.kalenteri.places.Villa Rana: 'https://kalenteri.example.fi/place/villa-rana/' is not under exports.kalenteri.api_url") == true)
    }

    @Test func onlyDescriptionIsHTML() throws {
        let object = try Self.object(Sample.event())
        #expect(object["description"] == .object([("fi", .string("<p>Teemana on <strong>resilienssi</strong>.</p>\n<p>Tervetuloa!</p>"))]))
        #expect(object["name"] == .object([("fi", .string("Tuottajakahvit: resilienssi ja palautuminen"))]))
    }

    @Test func rawHTMLInTheDescriptionIsNotPassedThrough() throws {
        let object = try Self.object(Sample.event(description: "Hei <script>alert(1)</script> maailma"))
        guard case let .object(fi)? = object["description"], case let .string(html) = fi[0].1 else {
            Issue.record("no description")
            return
        }
        #expect(!html.contains("<script"))
    }

    @Test func emptyBodyFallsBackToShort() throws {
        let object = try Self.object(Sample.event(short: "Lyhyt & *selkeä* <3", description: ""))
        #expect(object["description"] == .object([("fi", .string("<p>Lyhyt &amp; *selkeä* &lt;3</p>"))]))
    }

    @Test func unmappedVenueNamesTheMappingToAdd() {
        let event = Sample.event(venue: "Tanssisali Lutakko")
        let report = Self.export.export([event])
        #expect(report.leftOut == [event.id])
        #expect(
            report.diagnostics == [
                .error(
                    event.position(of: "venue"),
                    "venue 'Tanssisali Lutakko' has no place in the regional calendar: add \"Tanssisali Lutakko: <place id>\" under exports.kalenteri.places in tiedote.yml"
                )
            ])
    }

    @Test func unmappedCategoryNamesTheMappingToAdd() {
        let event = Sample.event(category: "Tanssi")
        #expect(
            Self.export.export([event]).diagnostics == [
                .error(
                    event.position(of: "category"),
                    "category 'Tanssi' has no keyword in the regional calendar: add \"Tanssi: <keyword id>\" under exports.kalenteri.keywords in tiedote.yml"
                )
            ])
    }

    @Test func onlineEventFallsBackToTheOnlinePlace() throws {
        let object = try Self.object(Sample.event(venue: "Teams", municipality: .online))
        #expect(object["location"] == .object([("@id", .string("https://kalenteri.example.fi/v1/place/kskalenteri:internet/"))]))
    }

    @Test(arguments: [
        // title, short, error count
        (String(repeating: "n", count: 255), String(repeating: "s", count: 160), 0),
        // 160 as written, 166 as the API stores it (`<` → `&lt;`, `>` → `&gt;`).
        ("nimi", "a < b ja c > d" + String(repeating: "s", count: 146), 1),
        ("nimi", "a & b" + String(repeating: "s", count: 155), 0),
        (String(repeating: "n", count: 256), "lyhyt", 1),
        ("nimi", String(repeating: "s", count: 161), 1),
        ("nimi <b>lihava</b>", "lyhyt", 1),
        ("nimi", "a < b ja c > d", 0),
        ("nimi", "katso </p>", 1),
        ("", "lyhyt", 1),
        ("Tuottajakahvit: <Tuottaja> & *forum*_teatteri", "lyhyt", 0),
    ])
    func rulesOnNameAndShort(title: String, short: String, errors: Int) {
        let report = Self.export.export([Sample.event(title: title, short: short)])
        #expect(report.diagnostics.filter { $0.severity == .error }.count == errors)
    }

    @Test(arguments: [
        ("<b>lihava</b>", LinkedEventsExport.Markup.element("<b>")),
        ("rivi<br/>rivi", .element("<br/>")),
        ("katso </P>", .element("</P>")),
        ("<script src=x>", .element("<script src=x>")),
        ("<Tuottaja> & *forum*", .brackets("<Tuottaja>")),
        ("<Tuottaja> ja <em>x</em>", .element("<em>")),
        ("a < b ja c > d", nil), ("<3", nil), ("a <b", .element("<b")), ("", nil),
    ] as [(String, LinkedEventsExport.Markup?)])
    func markupInPlainText(text: String, expected: LinkedEventsExport.Markup?) {
        #expect(LinkedEventsExport.markup(in: text) == expected)
    }

    @Test func bracketedWordIsWrittenWithAWarning() {
        let event = Sample.event(title: "Tuottajakahvit: <Tuottaja> & *forum*_teatteri")
        let report = Self.export.export([event])
        #expect(report.exported == [event.id])
        #expect(
            report.diagnostics == [
                .warning(
                    event.position(of: "title"),
                    "title contains '<Tuottaja>', which the regional calendar stores escaped and counts as 16 characters: check the entry after the import"
                )
            ])
    }

    @Test func imageGivesAWarningNotAnError() {
        let report = Self.export.export([Sample.event(image: "https://example.fi/kuva.jpg", imageAlt: "kuva")])
        #expect(report.exported.count == 1)
        #expect(report.diagnostics.map(\.severity) == [.warning])
    }
}
