import Testing
import TiedoteCore
@testable import TiedoteExport

struct ICalendarExportTests {
    /// A state that has seen the sample event at 2026-12-01T12:00Z with other values, so its
    /// next revision is sequence 2 stamped `now`.
    static let export = ICalendarExport(
        settings: Sample.settings,
        revisions: CalendarRevisions(revisions: [
            "2026-12-02-tuottajakahvit-villa-rana": .init(sequence: 1, schedule: "old", content: "old", stamp: 1_796_000_000)
        ]), now: 1_796_126_400)

    /// The unfolded content lines of one event's VEVENT.
    static func eventLines(_ event: Event) throws -> [String] {
        let report = export.export([event])
        let text = try #require(report.files.first?.text)
        let lines = text.replacing("\r\n ", with: "").split(separator: "\r\n").map(String.init)
        let begin = try #require(lines.firstIndex(of: "BEGIN:VEVENT"))
        let end = try #require(lines.firstIndex(of: "END:VEVENT"))
        return Array(lines[(begin + 1)..<end])
    }

    @Test func timedEventHasEveryPropertyInOrder() throws {
        let lines = try Self.eventLines(Sample.event())
        #expect(
            lines == [
                "UID:2026-12-02-tuottajakahvit-villa-rana@tuottajaverkosto.example.fi",
                "DTSTAMP:20261201T120000Z",
                "DTSTART;TZID=Europe/Helsinki:20261202T140000",
                "DTEND;TZID=Europe/Helsinki:20261202T160000",
                "SUMMARY:Tuottajakahvit: resilienssi ja palautuminen",
                "DESCRIPTION:Miten tuottaja jaksaa sesongista toiseen?\\n\\nTeemana on resilienssi.\\n\\nTervetuloa!",
                "LOCATION:Villa Rana\\, Kauppakatu 1\\, 40100 Jyväskylä",
                "URL:https://tuottajaverkosto.example.fi/ilmoittaudu",
                "CATEGORIES:Tuottajakahvit",
                "STATUS:CONFIRMED",
                "SEQUENCE:2",
                "LAST-MODIFIED:20261201T120000Z",
            ])
    }

    @Test(arguments: [
        // start, end, expected DTSTART, expected DTEND (nil = none)
        ("2027-01-16", nil, "DTSTART;VALUE=DATE:20270116", "DTEND;VALUE=DATE:20270117"),
        ("2027-03-26", "2027-03-28", "DTSTART;VALUE=DATE:20270326", "DTEND;VALUE=DATE:20270329"),
        ("2026-12-31", "2027-01-01", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270102"),
        ("2027-03-27T18:00", "2027-03-28T16:00", "DTSTART;TZID=Europe/Helsinki:20270327T180000",
         "DTEND;TZID=Europe/Helsinki:20270328T160000"),
        // No end: the next midnight, the same as every other export.
        ("2026-12-02T14:00", nil, "DTSTART;TZID=Europe/Helsinki:20261202T140000", "DTEND;TZID=Europe/Helsinki:20261203T000000"),
    ] as [(String, String?, String, String?)])
    func datesFollowTheEventFile(start: String, end: String?, dtstart: String, dtend: String?) throws {
        let lines = try Self.eventLines(Sample.event(start: start, end: end))
        #expect(lines.contains(dtstart))
        #expect(lines.first { $0.hasPrefix("DTEND") } == dtend)
    }

    @Test(arguments: [
        (Event.Status.scheduled, "STATUS:CONFIRMED"), (.cancelled, "STATUS:CANCELLED"), (.postponed, "STATUS:TENTATIVE"),
    ])
    func statusMaps(status: Event.Status, line: String) throws {
        #expect(try Self.eventLines(Sample.event(status: status)).contains(line))
    }

    @Test(arguments: [
        ("Kauppakatu 1, 40100 Jyväskylä", Municipality.jyvaskyla, "Villa Rana, Kauppakatu 1, 40100 Jyväskylä"),
        ("Kauppakatu 1", .jyvaskyla, "Villa Rana, Kauppakatu 1, Jyväskylä"),
        (nil, .laukaa, "Villa Rana, Laukaa"),
        ("Seppälänkatu 11, 40320 Jyväskylä", .laukaa, "Villa Rana, Seppälänkatu 11, 40320 Jyväskylä, Laukaa"),
        (nil, .online, "Villa Rana, verkossa"),
    ] as [(String?, Municipality, String)])
    func locationJoinsVenueAddressAndMunicipality(address: String?, municipality: Municipality, expected: String) {
        let event = Sample.event(address: address, municipality: municipality)
        #expect(ICalendarExport.location(of: event) == expected)
    }

    @Test func unseenEventGetsSequenceZeroAndTheFixedStamp() throws {
        let lines = try Self.eventLines(Sample.event(id: "other"))
        #expect(lines.contains("DTSTAMP:19700101T000000Z"))
        #expect(lines.contains("SEQUENCE:0"))
    }

    @Test func uidFollowsTheStableIDNotTheFileName() throws {
        var event = Sample.event(id: "2026-12-09-renamed")
        event.stableID = "tuottajakahvit-joulukuu"
        let lines = try Self.eventLines(event)
        #expect(lines.first == "UID:tuottajakahvit-joulukuu@tuottajaverkosto.example.fi")
    }

    /// Time, place or status raise SEQUENCE; other text only moves the stamp; nothing moves
    /// an unchanged event.
    @Test func revisionsRiseOnlyWithTheSchedule() throws {
        let first = Sample.event()
        let unchanged = ICalendarExport(settings: Sample.settings, now: 100).revised([first])
        let again = ICalendarExport(settings: Sample.settings, revisions: unchanged, now: 200).revised([first])
        #expect(again == unchanged)
        let moved = ICalendarExport(settings: Sample.settings, revisions: again, now: 300)
            .revised([Sample.event(start: "2026-12-02T15:00", end: "2026-12-02T17:00")])
        #expect(moved.revisions[first.id]?.sequence == 1)
        #expect(moved.revisions[first.id]?.stamp == 300)
        let retitled = ICalendarExport(settings: Sample.settings, revisions: moved, now: 400)
            .revised([Sample.event(title: "Uusi nimi", start: "2026-12-02T15:00", end: "2026-12-02T17:00")])
        #expect(retitled.revisions[first.id]?.sequence == 1)
        #expect(retitled.revisions[first.id]?.stamp == 400)
        let cancelled = ICalendarExport(settings: Sample.settings, revisions: retitled, now: 500)
            .revised([Sample.event(title: "Uusi nimi", start: "2026-12-02T15:00", end: "2026-12-02T17:00", status: .cancelled)])
        #expect(cancelled.revisions[first.id]?.sequence == 2)
        #expect(CalendarRevisions(parsing: cancelled.serialized) == cancelled)
    }

    @Test func categoriesAddTagsOnceEscaped() throws {
        let lines = try Self.eventLines(Sample.event(category: "Musiikki", tags: ["musiikki", "jazz, blues"]))
        #expect(lines.contains("CATEGORIES:Musiikki,jazz\\, blues"))
    }

    @Test func calendarHasHeaderAndHelsinkiZone() throws {
        let text = try #require(Self.export.export([]).files.first?.text)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Keski-Suomen tuottajaverkosto//Tiedote//FI\r\n"))
        #expect(text.contains("X-WR-CALNAME:Keski-Suomen tuottajaverkosto\r\n"))
        #expect(text.contains("TZID:Europe/Helsinki\r\n"))
        #expect(text.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"))
        #expect(text.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacing("\r\n", with: "").contains("\n"))
    }

    /// The zone generated from `Helsinki`'s rule is the one RFC 5545 readers expect.
    @Test func timeZoneIsTheEURule() {
        #expect(ICalendarFormat.timeZoneLines == [
            "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0300", "TZNAME:EEST",
            "DTSTART:19700329T030000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0300", "TZOFFSETTO:+0200", "TZNAME:EET",
            "DTSTART:19701025T040000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "END:VTIMEZONE",
        ])
    }

    @Test func timeInTheSpringGapWarns() {
        let report = Self.export.export([Sample.event(start: "2027-03-28T03:30", end: nil)])
        #expect(report.checks.first?.passed == true)
        #expect(report.diagnostics.map(\.severity) == [.warning])
        #expect(report.diagnostics.first?.position == Sample.event().position(of: "start"))
    }

    @Test func nonWebLinkIsLeftOutWithAWarning() throws {
        let event = Sample.event(registration: "mailto:x@example.fi")
        let report = Self.export.export([event])
        #expect(report.diagnostics == [
            .warning(event.position(of: "registration"), "'mailto:x@example.fi' is not an http(s) link; the calendar entry gets no URL")
        ])
        #expect(try !Self.eventLines(event).contains { $0.hasPrefix("URL") })
    }
}
