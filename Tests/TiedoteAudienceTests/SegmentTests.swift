import Testing
import TiedoteCore
@testable import TiedoteAudience

struct SegmentTests {
    static let aino = Subscriber(email: "aino@example.fi", municipality: .saarijarvi, interests: ["Tanssi", "teatteri"])
    static let eero = Subscriber(email: "eero@example.fi", municipality: .jyvaskyla, interests: ["musiikki"], language: "sv")
    static let none = Subscriber(email: "x@example.fi")

    @Test(arguments: [
        ([], [true, true, true]),
        (["municipality=Saarijärvi"], [true, false, false]),
        (["kunta=saarijärvi"], [true, false, false]),
        (["interests=tanssi"], [true, false, false]),
        (["interests=TANSSI,musiikki"], [true, true, false]),
        (["municipality=Saarijärvi,Jyväskylä", "interests=musiikki"], [false, true, false]),
        (["municipality=Saarijärvi", "interests=musiikki"], [false, false, false]),
        (["language=sv"], [false, true, false]),
        (["language=fi"], [true, false, true]),
    ])
    func selects(options: [String], expected: [Bool]) throws {
        let segment = try Segment(parsing: options)
        #expect([Self.aino, Self.eero, Self.none].map(segment.matches) == expected)
    }

    @Test(arguments: [
        ("municipality", "--segment 'municipality' must be FIELD=VALUE, e.g. municipality=Saarijärvi (fields: municipality, interests, language)"),
        ("city=Laukaa", "--segment: unknown field 'city'; use one of municipality, interests, language"),
        ("municipality=Tampere", "--segment: 'Tampere' is not one of the 22 municipalities of Keski-Suomi"),
    ])
    func refusesBadOptions(option: String, message: String) {
        #expect(throws: Diagnostic.error(nil, message)) { try Segment(parsing: [option]) }
    }

    @Test func describesItself() throws {
        #expect(try Segment(parsing: ["kunta=saarijärvi", "interests=tanssi"]).description
            == "municipality=Saarijärvi interests=tanssi")
        #expect(Segment().description == "everyone")
    }

    @Test func statsCountTheSegmentAndLeaveSuppressedOut() throws {
        let workspace = try Fixture.workspace()
        let all = try ListStats(list: "members", in: workspace)
        #expect(all.subscribers == 7)
        #expect(all.suppressed == 1)
        #expect(all.recipients == 6)
        #expect(all.byMunicipality[.jyvaskyla] == 2)
        #expect(all.byMunicipality[nil] == 1)
        let dance = try ListStats(list: "members", in: workspace, segment: Segment(parsing: ["interests=tanssi"]))
        #expect(dance.recipients == 3)
        #expect(dance.lines.first == "members: 7 subscribers, 1 suppressed, 3 recipients in segment interests=tanssi")
    }
}
