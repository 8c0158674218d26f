import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

#if canImport(FoundationXML)
    import FoundationXML
#endif

struct ReachTests {
    static func reach() throws -> Reach {
        let workspace = try Fixture.workspace()
        return try Reach(
            workspace: workspace, from: try #require(LocalDate(iso: "2026-01-01")),
            to: try #require(LocalDate(iso: "2026-12-31")))
    }

    @Test func countsTheFixtureWorkspace() throws {
        let reach = try Self.reach()
        func row(_ municipality: Municipality) -> Reach.Row? { reach.rows.first { $0.municipality == municipality } }
        #expect(reach.rows.count == 22)
        #expect(row(.jyvaskyla) == Reach.Row(municipality: .jyvaskyla, events: 3, subscribers: 2, lastEvent: LocalDate(iso: "2026-12-02")))
        // The cancelled concert neither counts nor is the last event.
        #expect(row(.saarijarvi) == Reach.Row(municipality: .saarijarvi, events: 2, subscribers: 1, lastEvent: LocalDate(iso: "2026-09-20")))
        #expect(row(.laukaa) == Reach.Row(municipality: .laukaa, events: 1, subscribers: 1, lastEvent: LocalDate(iso: "2026-06-12")))
        // Kinnula: a subscriber but no events.
        #expect(row(.kinnula)?.gap == "no events")
        // Jämsä: the last event was before the period.
        #expect(row(.jamsa) == Reach.Row(municipality: .jamsa, events: 0, subscribers: 0, lastEvent: LocalDate(iso: "2025-08-15")))
        #expect(row(.jamsa)?.gap == "nothing")
        #expect(reach.rows.filter(\.hasNothing).count == 18)
        #expect(reach.onlineEvents == 1)
        // The unsubscribed Jyväskylä member is not counted; Vieno has no municipality.
        #expect(reach.subscribersWithoutMunicipality == 1)
        #expect(reach.headline == "3 of 22 municipalities had events; 3 of 6 events (50 %) were outside Jyväskylä")
        #expect(reach.rankedRows.prefix(4).map(\.municipality) == [.jyvaskyla, .saarijarvi, .laukaa, .kinnula])
    }

    @Test func periodLimitsEventsButNotLastEvent() throws {
        let workspace = try Fixture.workspace()
        let reach = try Reach(
            workspace: workspace, from: try #require(LocalDate(iso: "2026-06-01")), to: try #require(LocalDate(iso: "2026-06-30")))
        #expect(reach.rows.first { $0.municipality == .laukaa }?.events == 1)
        #expect(reach.rows.first { $0.municipality == .jyvaskyla }?.events == 0)
        #expect(reach.rows.first { $0.municipality == .jyvaskyla }?.lastEvent == LocalDate(iso: "2026-05-05"))
    }

    @Test func csvHasOneRowPerMunicipality() throws {
        let records = try CSV.records(try Self.reach().csv, separator: .comma)
        #expect(records.first?.fields == ["municipality", "events", "subscribers", "last_event", "gap"])
        #expect(records.count == 1 + 22 + 2)
        #expect(records.first { $0.fields[0] == "Saarijärvi" }?.fields == ["Saarijärvi", "2", "1", "2026-09-20", ""])
    }

    @Test func textMarksTheGaps() throws {
        let text = try Self.reach().text
        #expect(text.contains("\nKinnula            0            1  –           ← no events\n"))
        #expect(text.contains("Nothing in 18: Hankasalmi, Joutsa, Jämsä,"))
    }

    @Test func svgIsWellFormedAndNamesEveryMunicipality() throws {
        let svg = try Self.reach().svg
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse())
        for municipality in Municipality.keskiSuomi {
            #expect(svg.contains(">\(municipality.rawValue)</text>"))
        }
        #expect(!svg.contains("href"))
        #expect(svg.contains("no events, no subscribers"))
    }
}
