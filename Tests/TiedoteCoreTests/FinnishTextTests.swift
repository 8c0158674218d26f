import Testing
@testable import TiedoteCore

/// Builds an event from ISO strings for date-text cases.
func event(_ start: String, _ end: String? = nil, venue: String = "Villa Rana", municipality: Municipality = .jyvaskyla) -> Event {
    Event(
        id: "e", title: "T", start: LocalDateTime(iso: start) ?? LocalDateTime(date: LocalDate(daysSinceEpoch: 0)),
        end: end.flatMap { LocalDateTime(iso: $0) }, venue: venue, municipality: municipality,
        category: "Tuottajakahvit", short: "S")
}

struct FinnishTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let start: String
        let end: String?
        let date: String
        let time: String
        let when: String
        var testDescription: String { "\(start)…\(end ?? "")" }
    }

    static let cases: [Case] = [
        Case(start: "2026-12-02T14:00", end: "2026-12-02T16:00", date: "ke 2.12.2026", time: "klo 14.00–16.00", when: "ke 2.12.2026 klo 14.00–16.00"),
        Case(start: "2026-12-02T09:05", end: nil, date: "ke 2.12.2026", time: "klo 9.05", when: "ke 2.12.2026 klo 9.05"),
        Case(start: "2027-01-16", end: nil, date: "la 16.1.2027", time: "", when: "la 16.1.2027"),
        Case(start: "2026-12-04", end: "2026-12-06", date: "pe 4.–su 6.12.2026", time: "", when: "pe 4.–su 6.12.2026"),
        Case(start: "2026-11-30", end: "2026-12-01", date: "ma 30.11.–ti 1.12.2026", time: "", when: "ma 30.11.–ti 1.12.2026"),
        Case(start: "2026-12-31", end: "2027-01-01", date: "to 31.12.2026–pe 1.1.2027", time: "", when: "to 31.12.2026–pe 1.1.2027"),
        Case(start: "2026-12-04T18:00", end: "2026-12-06T16:00", date: "pe 4.–su 6.12.2026",
             time: "pe klo 18.00 – su klo 16.00", when: "pe 4.12. klo 18.00 – su 6.12.2026 klo 16.00"),
        Case(start: "2027-03-27T10:00", end: "2027-03-28T15:00", date: "la 27.–su 28.3.2027",
             time: "la klo 10.00 – su klo 15.00", when: "la 27.3. klo 10.00 – su 28.3.2027 klo 15.00"),
    ]

    @Test(arguments: cases)
    func dateTimeAndWhen(_ c: Case) {
        let e = event(c.start, c.end)
        #expect(FinnishText.date(e) == c.date)
        #expect(FinnishText.time(e) == c.time)
        #expect(FinnishText.when(e) == c.when)
    }

    @Test(arguments: zip(1...12, [
        "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
        "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
    ]))
    func monthNames(_ month: Int, _ name: String) {
        #expect(FinnishText.monthName(month) == name)
        #expect(FinnishText.monthNameInessive(month) == name + "ssa")
    }

    @Test(arguments: zip(
        ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"],
        ["ma", "ti", "ke", "to", "pe", "la", "su"]))
    func weekdays(_ iso: String, _ abbreviation: String) throws {
        let date = try #require(LocalDate(iso: iso))
        #expect(FinnishText.weekday(date) == abbreviation)
    }

    @Test func places() {
        #expect(FinnishText.place(event("2026-12-02")) == "Villa Rana, Jyväskylä")
        #expect(FinnishText.place(event("2026-12-02", venue: "Zoom", municipality: .online)) == "Zoom (verkossa)")
        #expect(FinnishText.place(event("2026-12-02", venue: "Saarijärven kulttuuritalo", municipality: .saarijarvi))
            == "Saarijärven kulttuuritalo, Saarijärvi")
    }
}
