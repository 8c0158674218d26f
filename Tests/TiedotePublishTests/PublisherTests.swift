import Testing
import TiedoteCore
import TiedoteExport
@testable import TiedotePublish

/// The pure parts of publishing: reading the API's answers and matching a search result.
struct PublisherTests {
    @Test(arguments: [
        ("2026-12-02T12:00:00Z", "2026-12-02T14:00", true),
        ("2026-12-02T14:00:00+02:00", "2026-12-02T14:00", true),
        ("2026-12-02T14:00:00.000000+02:00", "2026-12-02T14:00", true),
        ("2026-12-02T14:00:00+03:00", "2026-12-02T14:00", false),
        ("2026-12-02T14:00:00", "2026-12-02T14:00", false),
        ("2027-06-12", "2027-06-12", true),
        ("2027-06-12T00:00:00+03:00", "2027-06-12", true),
    ])
    func sameStart(server: String, local: String, same: Bool) throws {
        let start = try #require(LocalDateTime(iso: local))
        #expect(Publisher.sameStart(server, start) == same)
    }

    @Test func fieldErrorsAreFlattened() {
        let body = Array(#"{"short_description": {"fi": ["Short description length must be 160 characters or less"]}, "end_time": "End time cannot be in the past."}"#.utf8)
        let errors = LinkedEventsClient.fieldErrors(body)
        #expect(errors.map(\.field) == ["end_time", "short_description"])
        #expect(errors.map(\.message) == ["End time cannot be in the past.", "Short description length must be 160 characters or less"])
    }

    @Test func refusalPointsAtTheEventFileLine() throws {
        var positions = ["": SourcePosition(path: "Events/x.md")]
        positions["short"] = SourcePosition(path: "Events/x.md", line: 9, column: 8)
        let event = Event(
            id: "x", title: "X", start: try #require(LocalDateTime(iso: "2026-12-02T14:00")),
            venue: "V", municipality: .jyvaskyla, category: "C", short: "S", positions: positions)
        let diagnostics = Publisher.refusal(400, [("short_description", "too long")], event: event)
        #expect(diagnostics == [.error(SourcePosition(path: "Events/x.md", line: 9, column: 8),
            "the regional calendar refused 'x' (400): short_description: too long")])
    }

    @Test func updateBodiesLeaveTheStatusToTheAPI() {
        let object = JSONValue.object([("name", .string("n")), ("start_time", .string("s")), ("event_status", .string("EventScheduled"))])
        #expect(!PublishBody.update(object).contains("event_status"))
        #expect(PublishBody.cancel(object).contains("\"EventCancelled\""))
        #expect(PublishBody.postpone(object).contains("\"start_time\": null"))
    }
}
