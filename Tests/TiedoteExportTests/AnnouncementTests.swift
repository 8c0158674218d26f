import Foundation
import Testing
import TiedoteCore
import TiedoteRender
@testable import TiedoteExport

struct AnnouncementTests {
    /// The sample workspace's templates (the repository root is a workspace).
    static let templates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates")

    static func announcement(_ channel: AnnounceChannel) throws -> Announcement {
        let url = templates.appendingPathComponent("announce-\(channel.rawValue).md")
        let source = try String(contentsOf: url, encoding: .utf8)
        return Announcement(channel: channel, template: try Template(parsing: source, path: channel.templatePath))
    }

    @Test(arguments: [
        (["tuottajakahvit"], ["#tuottajakahvit"]),
        (["a", "b", "c", "d"], ["#a", "#b", "#c"]),
        (["tapahtuma-turvallisuus", "kulttuuri matkailu"], ["#tapahtumaturvallisuus", "#kulttuurimatkailu"]),
        (["Jazz", "jazz", "#", "blues"], ["#Jazz", "#blues"]),
        ([], []),
    ])
    func hashtags(tags: [String], expected: [String]) {
        #expect(Announcement.hashtags(from: tags) == expected)
    }

    @Test func contextHasEventKeysNetworkAndHashtags() {
        guard case let .object(keys) = Announcement.context(for: Sample.event(), settings: Sample.settings) else {
            Issue.record("not an object")
            return
        }
        #expect(keys["when"] == .string("ke 2.12.2026 klo 14.00–16.00"))
        #expect(keys["place"] == .string("Villa Rana, Jyväskylä"))
        #expect(keys["hashtags"] == .list([.string("#tuottajakahvit")]))
        #expect(keys["network"] == NewsletterContext.network(Sample.settings.network))
    }

    @Test func whatsappFromTheSampleTemplate() throws {
        let result = try Self.announcement(.whatsapp).render(Sample.event(), settings: Sample.settings)
        #expect(result.diagnostics == [])
        #expect(result.text.hasPrefix("*Tuottajakahvit: resilienssi ja palautuminen*\n\n🗓 ke 2.12.2026 klo 14.00–16.00\n📍 Villa Rana, Jyväskylä\n"))
        #expect(result.text.contains("Ilmoittaudu: https://tuottajaverkosto.example.fi/ilmoittaudu"))
        #expect(!result.text.contains("\n\n\n"))
    }

    @Test func linkedInIsPlainWithHashtags() throws {
        let event = Sample.event(tags: ["tuottajakahvit", "resilienssi", "hyvinvointi", "neljäs"])
        let result = try Self.announcement(.linkedin).render(event, settings: Sample.settings)
        #expect(result.diagnostics == [])
        #expect(result.text.hasSuffix("#tuottajakahvit #resilienssi #hyvinvointi\n"))
        #expect(!result.text.contains("*"))
    }

    @Test func cancelledEventSaysSoAndDropsTheLink() throws {
        let result = try Self.announcement(.text).render(Sample.event(status: .cancelled), settings: Sample.settings)
        #expect(result.text.hasPrefix("PERUTTU: Tuottajakahvit"))
        #expect(!result.text.contains("Ilmoittautuminen:"))
    }

    @Test(arguments: [(AnnounceChannel.whatsapp, 700), (.linkedin, 1300)])
    func overTheLimitIsAnError(channel: AnnounceChannel, limit: Int) throws {
        let event = Sample.event(short: String(repeating: "x", count: limit))
        let result = try Self.announcement(channel).render(event, settings: Sample.settings)
        #expect(!result.passed)
        #expect(result.diagnostics.first?.position == event.position(of: "short"))
        #expect(result.diagnostics.first?.message.contains("takes at most \(limit)") == true)
    }

    @Test func textHasNoLimit() throws {
        let event = Sample.event(short: String(repeating: "x", count: 2000))
        #expect(try Self.announcement(.text).render(event, settings: Sample.settings).passed)
    }

    @Test func markdownInATitlePrintsAsWrittenOnLinkedIn() throws {
        let event = Sample.event(title: "Tuottajakahvit: <Tuottaja> & *forum*_teatteri")
        let result = try Self.announcement(.linkedin).render(event, settings: Sample.settings)
        #expect(result.diagnostics == [])
        #expect(result.text.hasPrefix("Tuottajakahvit: <Tuottaja> & *forum*_teatteri\n"))
    }

    @Test(arguments: [
        ("**{{title}}**\n{{when}}", 1), ("{{title}}\n[Ilmoittaudu]({{registration}})", 1),
        ("# {{title}}\n\n> {{short}}", 2), ("{{title}}\n- {{when}}\n{{#hashtags}}{{.}} {{/hashtags}}", 0),
    ])
    func markdownInALinkedInTemplateIsReported(source: String, errors: Int) throws {
        let template = try Template(parsing: source, path: "Templates/announce-linkedin.md")
        let result = try Announcement(channel: .linkedin, template: template).render(Sample.event(), settings: Sample.settings)
        #expect(result.diagnostics.count == errors)
        #expect(result.diagnostics.allSatisfy { $0.position?.path == "Templates/announce-linkedin.md" })
    }

    @Test func whatsappTemplateMayUseMarkdown() throws {
        let template = try Template(parsing: "*{{title}}*", path: "Templates/announce-whatsapp.md")
        #expect(try Announcement(channel: .whatsapp, template: template).render(Sample.event(), settings: Sample.settings).passed)
    }

    @Test(arguments: [
        ("Tuottajakahvit **nyt**", "**"), ("katso [tästä](https://x.fi)", "]("), ("# Otsikko", "#"),
        ("> lainaus", ">"), ("*lihava* teksti", "*"), ("hyvin _kursiivi_.", "_"), ("`koodi`", "`"),
        ("#tuottajakahvit #resilienssi", nil), ("- listan kohta", nil), ("10 € * 2", nil),
        ("tapahtuma_turvallisuus", nil), ("Hinta: 5 €", nil),
    ] as [(String, String?)])
    func markdownMarkers(line: String, expected: String?) {
        #expect(Announcement.markdownMarker(in: line) == expected)
    }

    @Test func tidyRemovesTrailingSpaceAndExtraBlankLines() {
        #expect(Announcement.tidy("\n\na  \n\n\n\nb \n\n") == "a\n\nb\n")
    }

    @Test func unknownPlaceholderIsATemplateError() throws {
        let template = try Template(parsing: "{{titel}}", path: "Templates/announce-text.md")
        #expect(throws: Diagnostic.self) {
            try Announcement(channel: .text, template: template).render(Sample.event(), settings: Sample.settings)
        }
    }
}
