import Foundation
import Testing
@testable import TiedoteCore
import TiedoteTestSupport

struct LoadingTests {
    static let settingsText = MinimalSettings.text

    static func settings() throws -> Settings { try MinimalSettings.settings() }

    static let validEvent = """
        ---
        title: "Tuottajakahvit: resilienssi"
        start: 2026-12-02T14:00
        end: 2026-12-02T16:00
        venue: Villa Rana
        municipality: Jyväskylä
        category: Tuottajakahvit
        short: Lyhyt kuvaus.
        tags: [tuottajakahvit]
        ---
        Pitkä *kuvaus*.
        """

    @Test func validEventLoads() throws {
        let event = try Event.parse(Self.validEvent, id: "x", path: "Events/x.md", settings: try Self.settings())
        #expect(event.title == "Tuottajakahvit: resilienssi")
        #expect(event.start.description == "2026-12-02T14:00")
        #expect(event.municipality == .jyvaskyla)
        #expect(event.description == "Pitkä *kuvaus*.")
        #expect(event.position(of: "short") == SourcePosition(path: "Events/x.md", line: 8, column: 8))
        #expect(event.positions["description"]?.line == 11)
    }

    /// Blank lines between the closing `---` and the text are not part of the body, but they
    /// are lines of the file: the body's position is where its text starts, in LF and CRLF files
    /// (an error in the body is placed from it).
    @Test(arguments: ["\n", "\r\n"])
    func bodyAfterBlankLinesIsPlacedOnItsLine(lineEnd: String) throws {
        let event = Self.validEvent.replacingOccurrences(of: "---\nPitkä", with: "---\n\n  \n\nPitkä")
            .replacingOccurrences(of: "\n", with: lineEnd)
        let parsed = try Event.parse(event, id: "x", path: "Events/x.md", settings: try Self.settings())
        #expect(parsed.description == "Pitkä *kuvaus*.")
        #expect(parsed.position(of: "description") == SourcePosition(path: "Events/x.md", line: 14, column: 1))
        let issue = ["---", "subject: Joulukuu", "---", "", "", "  Hei kaikki!"].joined(separator: lineEnd)
        let month = try #require(YearMonth(iso: "2026-12"))
        let parsedIssue = try Issue.parse(issue, month: month, path: "Issues/2026-12.md", settings: try Self.settings())
        #expect(parsedIssue.body == "Hei kaikki!")
        #expect(parsedIssue.position(of: "body") == SourcePosition(path: "Issues/2026-12.md", line: 6, column: 3),
            "the spaces trimmed before the text count in its column")
    }

    /// Files saved on Windows (CRLF line ends) load like any other.
    @Test func crlfEventLoads() throws {
        let text = Self.validEvent.replacingOccurrences(of: "\n", with: "\r\n")
        let event = try Event.parse(text, id: "x", path: "Events/x.md", settings: try Self.settings())
        #expect(event.title == "Tuottajakahvit: resilienssi")
        #expect(event.description == "Pitkä *kuvaus*.")
        #expect(event.position(of: "short") == SourcePosition(path: "Events/x.md", line: 8, column: 8))
    }

    /// A password can never ride in the relay's URL, where it would be printed and logged.
    @Test(arguments: ["smtp://user:salasana@smtp.example.fi:587", "smtp://smtp.example.fi:587#@127.0.0.1", "smtps://h?x=1"])
    func smtpURLIsOnlySchemeHostPort(_ url: String) {
        let text = Self.settingsText + "\ndelivery:\n  smtp:\n    url: \"\(url)\"\n"
        #expect(throws: Diagnostics([.error(SourcePosition(path: "tiedote.yml", line: 15, column: 10),
            "delivery.smtp.url must be only scheme://host:port: put the user name in delivery.smtp.username and the password in the variable or file password_env / password_file name")])) {
            try Settings.parse(text)
        }
    }

    /// A subject that would smuggle a header line is refused where it is written.
    @Test func subjectWithLineBreakIsRefused() throws {
        let text = "---\nsubject: \"Joulukuu\\r\\nBcc: x@example.fi\"\n---\nTeksti.\n"
        let month = try #require(YearMonth(iso: "2026-12"))
        #expect(throws: Diagnostics([.error(SourcePosition(path: "Issues/2026-12.md", line: 2, column: 10),
            "subject contains a line break or a control character; write it on one line")])) {
            try Issue.parse(text, month: month, path: "Issues/2026-12.md", settings: try Self.settings())
        }
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String
        let replace: String
        let with: String
        let expected: Diagnostic
        var testDescription: String { name }
    }

    static func at(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
        .error(SourcePosition(path: "Events/x.md", line: line, column: column), message)
    }

    static let badCases: [BadCase] = [
        BadCase(name: "unknown key", replace: "venue: Villa Rana", with: "venue: Villa Rana\nvenu: x",
                expected: at(6, 1, "unknown key 'venu' in the event's front matter; did you mean 'venue'?")),
        BadCase(name: "bad date", replace: "start: 2026-12-02T14:00", with: "start: 2026-02-30T14:00",
                expected: at(3, 8, "start '2026-02-30T14:00' is not a date: write 2026-12-02T14:00 (local time), or 2026-12-02 for all day")),
        BadCase(name: "end before start", replace: "end: 2026-12-02T16:00", with: "end: 2026-12-02T13:00",
                expected: at(4, 6, "end (2026-12-02T13:00) is before start (2026-12-02T14:00)")),
        BadCase(name: "Kuhmoinen", replace: "municipality: Jyväskylä", with: "municipality: Kuhmoinen",
                expected: at(6, 15, "Kuhmoinen moved to Pirkanmaa in 2021 and is not one of Keski-Suomi's 22 municipalities")),
        BadCase(name: "misspelt municipality", replace: "municipality: Jyväskylä", with: "municipality: Jyvaskyla",
                expected: at(6, 15, "unknown municipality 'Jyvaskyla'; use one of Keski-Suomi's 22 municipalities or 'verkossa' for online events; did you mean 'Jyväskylä'?")),
        BadCase(name: "unknown category", replace: "category: Tuottajakahvit", with: "category: Sirkus",
                expected: at(7, 11, "unknown category 'Sirkus'; use one of tiedote.yml's categories: Tuottajakahvit")),
        BadCase(name: "missing title", replace: "title: \"Tuottajakahvit: resilienssi\"\n", with: "",
                expected: at(1, 1, "missing required key 'title' in the event's front matter")),
        BadCase(name: "wrong type", replace: "tags: [tuottajakahvit]", with: "tags: 5",
                expected: at(9, 7, "tags must be a list (`[a, b]` or `- a` lines), not a single value")),
        BadCase(name: "status", replace: "tags:", with: "status: peruttu\ntags:",
                expected: at(9, 9, "status must be scheduled, cancelled or postponed, not 'peruttu'")),
        BadCase(name: "long short", replace: "short: Lyhyt kuvaus.", with: "short: " + String(repeating: "a", count: 161),
                expected: at(8, 8, "short is 161 characters; calendars take at most 160: shorten it")),
        BadCase(name: "stable id with a space", replace: "tags:", with: "id: kahvit joulukuu\ntags:",
                expected: at(9, 5, "id 'kahvit joulukuu' may hold only letters a–z, digits, '.', '_' and '-' (at most 100): write it like x")),
    ]

    @Test func stableIDIsReadAndTwoEventsMayNotShareIt() throws {
        let text = Self.validEvent.replacingFirst("tags:", with: "id: kahvit-joulukuu\ntags:")
        let event = try Event.parse(text, id: "2026-12-02-x", path: "Events/2026-12-02-x.md", settings: try Self.settings())
        #expect(event.calendarID == "kahvit-joulukuu")
        let other = try Event.parse(Self.validEvent, id: "kahvit-joulukuu", path: "Events/kahvit-joulukuu.md", settings: try Self.settings())
        #expect(other.calendarID == "kahvit-joulukuu")
        let problems = Workspace.duplicateCalendarIDs([event, other])
        #expect(problems.map(\.position) == [SourcePosition(path: "Events/kahvit-joulukuu.md")])
        #expect(problems.first?.message == "event id 'kahvit-joulukuu' is already used by Events/2026-12-02-x.md: give this event another id")
    }

    @Test(arguments: [
        ("https://kalenteri.example.fi/v1/", nil), ("http://127.0.0.1:8000/v1/", nil), ("http://localhost/v1/", nil),
        ("http://kalenteri.example.fi/v1/", "exports.kalenteri.api_url must be an https:// address (http:// only for a server on this machine)"),
        ("ftp://x/", "exports.kalenteri.api_url must be an https:// address like https://…/v1/"),
    ] as [(String, String?)])
    func calendarAPIAddress(url: String, problem: String?) {
        #expect(Settings.checkAPIURL(url) == problem)
    }

    @Test(arguments: badCases)
    func badEvent(_ c: BadCase) throws {
        let text = Self.validEvent.replacingFirst(c.replace, with: c.with)
        #expect(throws: Diagnostics([c.expected])) {
            try Event.parse(text, id: "x", path: "Events/x.md", settings: try Self.settings())
        }
    }

    @Test func settingsProblemsAreAllReported() {
        let text = Self.settingsText
            .replacingFirst("order: [humak]", with: "order: [humak, nobody]")
            .replacingFirst("categories:", with: "colour: blue\ncategories:")
        #expect(throws: Diagnostics([
            .error(SourcePosition(path: "tiedote.yml", line: 12, column: 1),
                   "unknown key 'colour' in tiedote.yml; known keys: network, coordinators, rotation, categories, delivery, lists, unsubscribe, exports, inbox"),
            .error(SourcePosition(path: "tiedote.yml", line: 9, column: 18),
                   "rotation names coordinator 'nobody', which is not in coordinators (known: humak)"),
        ])) {
            try Settings.parse(text)
        }
    }

    @Test func rotationTurns() throws {
        let rotation = Rotation(order: ["a", "b", "c"], firstMonth: try #require(YearMonth(iso: "2026-09")), monthsPerTurn: 4)
        let expected = [("2026-08", "c"), ("2026-09", "a"), ("2026-12", "a"), ("2027-01", "b"), ("2027-05", "c"), ("2027-09", "a")]
        for (month, id) in expected {
            #expect(rotation.coordinatorID(for: try #require(YearMonth(iso: month))) == id, "\(month)")
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

/// Each loader's keys are one list: every key it names is read (a value given under each is
/// placed and none is called unknown), and the "unknown key" hint lists exactly those keys.
struct LoaderKeyTests {
    static let values: [Event.Key: String] = [
        .title: "Otsikko", .start: "2026-12-02T14:00", .end: "2026-12-02T16:00", .venue: "Villa Rana",
        .address: "Tie 1", .municipality: "Jyväskylä", .category: "Tuottajakahvit", .short: "Lyhyt.", .price: "0 €",
        .registration: "https://example.fi/ilmo", .organizer: "Humak", .image: "https://example.fi/k.jpg",
        .imageAlt: "Kuva", .status: "scheduled", .tags: "[a, b]", .id: "tuottajakahvit-1",
    ]

    @Test func everyEventKeyIsRead() throws {
        let lines = Event.Key.allCases.map { "\($0.rawValue): \(Self.values[$0] ?? "x")" }
        let text = (["---"] + lines + ["---", "Kuvaus."]).joined(separator: "\n")
        var warnings: [Diagnostic] = []
        let event = try Event.parse(text, id: "x", path: "Events/x.md", settings: try LoadingTests.settings(), warnings: &warnings)
        #expect(warnings.isEmpty)
        for (index, key) in Event.Key.allCases.enumerated() {
            #expect(event.positions[key.rawValue]?.line == index + 2, "\(key.rawValue) is placed")
        }
        #expect(event.imageAlt == "Kuva" && event.stableID == "tuottajakahvit-1" && event.tags == ["a", "b"])
        #expect(Event.keys == Event.Key.allCases.map(\.rawValue))
    }

    @Test func everyIssueKeyIsReadAndTheHintListsThem() throws {
        let month = try #require(YearMonth(iso: "2026-12"))
        let values: [TiedoteCore.Issue.Key: String] = [
            .subject: "Joulukuu", .preheader: "Esiotsikko", .coordinator: "humak",
            .eventsFrom: "2026-12-01", .eventsTo: "2026-12-31",
        ]
        let lines = TiedoteCore.Issue.Key.allCases.map { "\($0.rawValue): \(values[$0] ?? "x")" }
        let issue = try TiedoteCore.Issue.parse(
            (["---"] + lines + ["---", "Hei."]).joined(separator: "\n"), month: month, path: "Issues/2026-12.md",
            settings: try LoadingTests.settings())
        #expect(issue.preheader == "Esiotsikko" && issue.coordinator == "humak" && issue.eventsTo == LocalDate(iso: "2026-12-31"))
        do {
            _ = try TiedoteCore.Issue.parse("---\nsubject: S\nxyzzy: 1\n---\n", month: month, path: "Issues/2026-12.md", settings: try LoadingTests.settings())
            Testing.Issue.record("an unknown key was accepted")
        } catch let problems as Diagnostics {
            #expect(problems.items.map(\.message) == [
                "unknown key 'xyzzy' in the issue's front matter; known keys: subject, preheader, coordinator, events_from, events_to",
            ])
        }
    }
}
