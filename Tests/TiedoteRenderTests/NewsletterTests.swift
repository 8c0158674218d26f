import Foundation
import Testing
import TiedoteCore
@testable import TiedoteRender

/// The newsletter of the sample workspace (the repository root).
struct NewsletterTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func newsletter(_ month: String = "2026-12") throws -> Newsletter {
        let workspace = try Workspace.load(at: root)
        let key = try #require(YearMonth(iso: month))
        let issue = try #require(workspace.issues[key])
        return try Newsletter.load(issue: issue, workspace: workspace)
    }

    static let recipients: [Subscriber] = [
        Subscriber(email: "aino.makela@example.fi", name: "Aino Mäkelä", municipality: .jyvaskyla),
        Subscriber(email: "x@example.fi", name: "", municipality: nil),
        Subscriber(email: "o.brien@example.com", name: "Seán O'Brien & <Co> *Tähti*", municipality: .viitasaari),
        Subscriber(email: "pitka@example.org",
                   name: "Hyvin-Pitkänimisen-Ihmisen-Etunimi Jälkimmäinen Toinen Kolmas Neljäs Viides Kuudes Seitsemäs",
                   municipality: .jyvaskyla),
        Subscriber(email: "aki@example.fi", name: "Åke", municipality: .aanekoski),
        Subscriber(email: "aki2@example.fi", name: "Äke", municipality: .aanekoski),
    ]

    /// Splicing a recipient into a cached variant gives the same document as rendering from
    /// the templates; text may only wrap differently, never past 72 columns.
    @Test(arguments: recipients)
    func splicedEqualsFullRender(_ subscriber: Subscriber) throws {
        let newsletter = try Self.newsletter()
        // Prime the variant with another recipient of the same shape first.
        _ = try newsletter.render(for: Self.recipients[0], unsubscribeURL: "https://example.fi/peru?t=AAA")
        let url = "https://example.fi/peru?t=" + subscriber.email.filter(\.isLetter)
        let fast = try newsletter.render(for: subscriber, unsubscribeURL: url)
        let full = try newsletter.renderInFull(for: subscriber, unsubscribeURL: url)
        #expect(fast.markdown == full.markdown)
        #expect(fast.html == full.html)
        #expect(fast.text.split(whereSeparator: \.isWhitespace) == full.text.split(whereSeparator: \.isWhitespace))
        for line in fast.text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).contains(" ") {
            #expect(line.count <= Newsletter.textWidth, "\(line)")
        }
    }

    @Test func everyEventOfTheMonthAppearsWithItsFinnishDate() throws {
        let newsletter = try Self.newsletter()
        let rendered = try newsletter.render(for: Self.recipients[0], unsubscribeURL: "https://example.fi/peru?t=A")
        #expect(!newsletter.events.isEmpty)
        for event in newsletter.events {
            #expect(rendered.text.contains(FinnishText.when(event)), "\(event.id)")
            #expect(rendered.html.contains(FinnishText.when(event)), "\(event.id)")
        }
        #expect(rendered.text.contains("Hei Aino!"))
        #expect(rendered.text.hasPrefix("Tuottajaverkoston uutiskirje, joulukuu 2026\n"), "the text layout adds nothing before the content")
        #expect(rendered.text.contains("https://example.fi/peru?t=A"), "the text footer has the unsubscribe link")
        #expect(rendered.html.contains("lang=\"fi\""))
    }

    /// A title full of Markdown and HTML characters prints as written in both parts.
    @Test func specialCharactersPrintAsWritten() throws {
        let newsletter = try Self.newsletter("2027-01")
        let rendered = try newsletter.render(for: Self.recipients[0], unsubscribeURL: "https://example.fi/peru?t=A")
        let title = "Tuottajakahvit: <Tuottaja> & *forum*_teatteri"
        #expect(newsletter.events.contains { $0.title == title })
        #expect(rendered.text.contains(title))
        #expect(rendered.html.contains("Tuottajakahvit: &lt;Tuottaja&gt; &amp; *forum*_teatteri"))
    }

    /// The cancelled event is marked in both parts, and its description is left out.
    @Test func cancelledEventIsMarked() throws {
        let newsletter = try Self.newsletter()
        let cancelled = try #require(newsletter.events.first { $0.status == .cancelled })
        let rendered = try newsletter.render(for: Self.recipients[1], unsubscribeURL: "https://example.fi/peru?t=B")
        #expect(rendered.text.contains("PERUTTU: \(cancelled.title)"))
        #expect(rendered.html.contains("PERUTTU: \(cancelled.title)"))
    }
}
