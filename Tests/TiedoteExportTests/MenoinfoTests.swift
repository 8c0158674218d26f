import Testing
import TiedoteCore
@testable import TiedoteExport

struct MenoinfoTests {
    static let export = MenoinfoExport(settings: Sample.settings)

    /// FORMATS.md's column list, word for word.
    static let formatsColumns = """
        Tapahtuman nimi; Kategoria; Alkupäivä; Alkuaika; Loppupäivä; Loppuaika; Tapahtumapaikka;
        Katuosoite; Kunta; Hinta; Lippu- tai ilmoittautumislinkki; Lyhyt kuvaus; Kuvaus; Kuva;
        Kuvan kuvaus; Järjestäjä; Yhteyshenkilön sähköposti
        """

    @Test func fieldsAreFormatsColumnsInOrder() {
        let expected = Self.formatsColumns.replacing("\n", with: " ").split(separator: ";").map { $0.trimmingSpaces }
        #expect(MenoinfoFormat.fields.map(\.label) == expected)
    }

    @Test(arguments: [
        ("2026-12-02", "2.12.2026"), ("2027-01-09", "9.1.2027"), ("2026-10-31", "31.10.2026"),
    ])
    func datesHaveNoLeadingZeros(iso: String, expected: String) throws {
        #expect(MenoinfoFormat.date(try #require(LocalDate(iso: iso))) == expected)
    }

    @Test(arguments: [("14:00", "14.00"), ("09:05", "09.05"), ("00:30", "00.30")])
    func timesAreHHdotMM(iso: String, expected: String) throws {
        #expect(MenoinfoFormat.time(try #require(LocalTime(iso: iso))) == expected)
    }

    static func row(_ event: Event) throws -> [String: String] {
        var diagnostics: [Diagnostic] = []
        let entry = try #require(Self.export.entry(for: event, diagnostics: &diagnostics))
        return Dictionary(uniqueKeysWithValues: MenoinfoFormat.fields.map { ($0.label, $0.value(entry)) })
    }

    @Test func timedEventRow() throws {
        let row = try Self.row(Sample.event(organizer: "Villa Rana"))
        #expect(row["Tapahtuman nimi"] == "Tuottajakahvit: resilienssi ja palautuminen")
        #expect(row["Kategoria"] == "Seminaarit ja keskustelut")
        #expect(row["Alkupäivä"] == "2.12.2026")
        #expect(row["Alkuaika"] == "14.00")
        #expect(row["Loppupäivä"] == "2.12.2026")
        #expect(row["Loppuaika"] == "16.00")
        #expect(row["Katuosoite"] == "Kauppakatu 1")
        #expect(row["Kunta"] == "Jyväskylä")
        #expect(row["Hinta"] == "Maksuton")
        #expect(row["Kuvaus"] == "Teemana on resilienssi.\n\nTervetuloa!")
        #expect(row["Järjestäjä"] == "Villa Rana")
        // December 2026 is Humak's turn (four months from 2026-09); no contact_email set.
        #expect(row["Yhteyshenkilön sähköposti"] == "humak@example.fi")
    }

    @Test func allDayMultiDayEventKeepsOneRowWithoutTimes() throws {
        let row = try Self.row(Sample.event(start: "2027-03-26", end: "2027-03-28", price: "25 € / 15 €"))
        #expect(row["Alkupäivä"] == "26.3.2027")
        #expect(row["Alkuaika"] == "")
        #expect(row["Loppupäivä"] == "28.3.2027")
        #expect(row["Loppuaika"] == "")
        #expect(row["Hinta"] == "25 € / 15 €")
    }

    @Test func contactEmailFromSettingsWins() throws {
        var settings = Sample.settings
        settings.exports.menoinfo.contactEmail = "menot@example.fi"
        var diagnostics: [Diagnostic] = []
        let entry = try #require(MenoinfoExport(settings: settings).entry(for: Sample.event(), diagnostics: &diagnostics))
        #expect(entry.contactEmail == "menot@example.fi")
    }

    @Test(arguments: [
        // category, mapping, expected category (nil = error)
        ("Musiikki", [:], "Musiikki"),
        ("Tuottajakahvit", ["Tuottajakahvit": "Seminaarit ja keskustelut"], "Seminaarit ja keskustelut"),
        ("Tuottajakahvit", [:], nil),
        ("Tuottajakahvit", ["Tuottajakahvit": "Kahvit"], nil),
    ] as [(String, [String: String], String?)])
    func categoryMapsIntoMenoinfosList(category: String, mapping: [String: String], expected: String?) {
        var settings = Sample.settings
        settings.exports.menoinfo.categories = mapping
        var diagnostics: [Diagnostic] = []
        let result = MenoinfoExport(settings: settings).category(for: Sample.event(category: category), diagnostics: &diagnostics)
        #expect(result == expected)
        #expect(diagnostics.count == (expected == nil ? 1 : 0))
        #expect(diagnostics.allSatisfy { $0.position == Sample.event().position(of: "category") })
    }

    @Test func unmappedCategoryNamesTheMappingToAdd() {
        var settings = Sample.settings
        settings.exports.menoinfo.categories = [:]
        let event = Sample.event()
        let report = MenoinfoExport(settings: settings).export([event])
        #expect(report.leftOut == [event.id])
        #expect(
            report.diagnostics.map(\.description) == [
                "Events/\(event.id).md:8:11: error: category 'Tuottajakahvit' is not one of Menoinfo's categories: add \"Tuottajakahvit: <one of \(MenoinfoFormat.categories.joined(separator: ", "))>\" under exports.menoinfo.categories in tiedote.yml"
            ])
    }

    @Test(arguments: [
        // title length, short length, description length, fields over their limit
        (100, 160, 3000, [String]()),
        (101, 160, 3000, ["'Tapahtuman nimi' is 101 characters; Menoinfo takes at most 100: shorten it by 1"]),
        (100, 161, 3000, ["'Lyhyt kuvaus' is 161 characters; Menoinfo takes at most 160: shorten it by 1"]),
        (100, 160, 3001, ["'Kuvaus' is 3001 characters; Menoinfo takes at most 3000: shorten it by 1"]),
    ])
    func limitsAreChecked(title: Int, short: Int, description: Int, messages: [String]) {
        let event = Sample.event(
            title: String(repeating: "ä", count: title), short: String(repeating: "s", count: short),
            description: String(repeating: "k", count: description))
        let report = Self.export.export([event])
        #expect(report.diagnostics.map(\.message) == messages)
        #expect(report.hasErrors == !messages.isEmpty)
    }

    @Test func limitCountsLikeAWebForm() {
        // An emoji is one character but two UTF-16 units, as a form's maxlength counts it.
        let event = Sample.event(title: String(repeating: "🎭", count: 51))
        #expect(Self.export.export([event]).diagnostics.first?.message.hasPrefix("'Tapahtuman nimi' is 102 characters") == true)
    }

    @Test func limitErrorPointsAtTheKey() {
        let event = Sample.event(short: String(repeating: "s", count: 170))
        #expect(Self.export.export([event]).diagnostics.first?.position == event.position(of: "short"))
    }

    @Test(arguments: [
        ("plain", "plain"), ("a;b", "\"a;b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""), (" padded", "\" padded\""), ("a,b", "a,b"), ("", ""),
    ])
    func csvQuotesOnlyWhereNeeded(field: String, expected: String) {
        #expect(CSV.quoted(field, separator: .semicolon) == expected)
    }

    /// OWASP CSV Injection: a cell a spreadsheet would run as a formula gets a leading `'`.
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+358 40 123", "'+358 40 123"), ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tsarkain", "'\tsarkain"), ("\rrivi", "'\rrivi"), ("Villa Rana", "Villa Rana"),
        ("a=b", "a=b"), ("", ""),
    ])
    func formulaCellsAreNeutralised(cell: String, expected: String) {
        #expect(MenoinfoFormat.neutralised(cell) == expected)
    }

    @Test func csvNeutralisesAFormulaTitle() throws {
        let report = MenoinfoExport(settings: Sample.settings).export([Sample.event(title: "=1+1 tuottajakahvit")])
        let csv = try #require(report.files.first { $0.name == "menoinfo.csv" }?.text)
        #expect(csv.contains("\r\n'=1+1 tuottajakahvit;"))
    }

    @Test func csvHasBOMHeaderAndCRLFRows() throws {
        let report = Self.export.export([Sample.event(), Sample.event(id: "b", title: "Toinen; tapahtuma")])
        let csv = try #require(report.files.first { $0.name == "menoinfo.csv" }?.text)
        #expect(csv.hasPrefix("\u{FEFF}Tapahtuman nimi;Kategoria;Alkupäivä;"))
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.contains("\r\n\"Toinen; tapahtuma\";Seminaarit ja keskustelut;2.12.2026;14.00;"))
        // Two rows besides the header: a row break is CRLF, a line break inside Kuvaus is LF.
        #expect(csv.split(separator: "\r\n").count == 3)
    }

    @Test func textFileLabelsEachFieldInFormOrder() throws {
        let report = Self.export.export([Sample.event()])
        let text = try #require(report.files.first { $0.name == "menoinfo.txt" }?.text)
        let lines = text.dropFirst().split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "=== 1/1: 2026-12-02-tuottajakahvit-villa-rana ===")
        let labels = lines.compactMap { line in MenoinfoFormat.fields.first { line.hasPrefix($0.label + ":") }?.label }
        #expect(labels == MenoinfoFormat.fields.map(\.label))
        #expect(lines.contains("Alkupäivä: 2.12.2026"))
        let kuvaus = try #require(lines.firstIndex(of: "Kuvaus:"))
        #expect(Array(lines[(kuvaus + 1)...(kuvaus + 3)]) == ["Teemana on resilienssi.", "", "Tervetuloa!"])
    }
}
