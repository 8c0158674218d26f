import Foundation
import Testing
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteRender
import TiedoteTestSupport
@testable import TiedoteSend

/// A send's messages, whose bodies reuse each variant's encoded runs, are the messages of
/// the plain path: the newsletter rendered to two strings and each encoded whole.
struct SendPlanTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func plan() throws -> SendPlan {
        let workspace = try Workspace.load(at: root)
        let month = try #require(YearMonth(iso: "2026-12"))
        let issue = try #require(workspace.issues[month])
        let newsletter = try Newsletter.load(issue: issue, workspace: workspace)
        let unsubscribe = Unsubscribe(settings: workspace.settings.unsubscribe, secret: Secret("test-secret"))
        return try SendPlan(
            workspace: workspace, newsletter: newsletter, listName: "members", date: 1_796_117_400,
            unsubscribe: unsubscribe)
    }

    /// Names and addresses that land on wrap points of the text part (72) and of the
    /// quoted-printable lines (76), with blanks, `=`, markup and characters of 2 to 4 bytes,
    /// and the variants an empty name or no municipality make.
    static let recipients: [Subscriber] = {
        var list = [
            Subscriber(email: "aino.makela@example.fi", name: "Aino Mäkelä", municipality: .jyvaskyla),
            Subscriber(email: "x@example.fi", name: "", municipality: nil),
            Subscriber(email: "nobody@example.fi", name: "", municipality: .jyvaskyla),
            Subscriber(email: "o.brien@example.com", name: "Seán O'Brien & <Co> =?utf-8?Q?x?= *Tähti*", municipality: .viitasaari),
            Subscriber(email: "pitka@example.org",
                       name: "Hyvin-Pitkänimisen-Ihmisen-Etunimi Jälkimmäinen Toinen Kolmas Neljäs Viides Kuudes Seitsemäs",
                       municipality: .jyvaskyla),
            Subscriber(email: "tab@example.fi", name: "Aino\tMaija  Välilyönti ", municipality: nil),
            Subscriber(email: "jose@example.fi", name: "Jose\u{301} Ñandú 🎭", municipality: .aanekoski),
            Subscriber(
                email: "a.very.long.local.part.that.goes.on.and.on.and.on.and.on@subdomain.tuottajaverkosto.example.fi",
                name: "Åsa", municipality: .jamsa),
        ]
        for length in [50, 60, 62, 64, 66, 68, 70, 72, 74, 80, 100] {
            list.append(Subscriber(email: "a\(length)@example.fi", name: String(repeating: "a", count: length), municipality: .jyvaskyla))
            list.append(Subscriber(
                email: "o\(length)@example.fi", name: String(repeating: "ö", count: length / 2) + " x", municipality: nil))
            list.append(Subscriber(
                email: "s\(length)@example.fi", name: String(repeating: "Aino ", count: length / 5), municipality: .jyvaskyla))
        }
        return list
    }()

    /// The message of the plain path: the same headers, the two parts rendered to strings
    /// and encoded whole.
    static func plainMessage(_ plan: SendPlan, _ message: MIMEMessage, _ subscriber: Subscriber) throws -> MIMEMessage {
        let url = plan.unsubscribe?.links(for: subscriber, list: plan.listName).url ?? ""
        let rendered = try plan.newsletter.render(for: subscriber, unsubscribeURL: url)
        var plain = message
        plain.textBody = BodyText(rendered.text)
        plain.htmlBody = BodyText(rendered.html)
        return plain
    }

    @Test func messagesAreTheBytesOfThePlainPath() throws {
        let plan = try Self.plan()
        // Twice: first when each variant is made, then from the cache.
        for subscriber in Self.recipients + Self.recipients {
            let address = try MailAddress(subscriber.email)
            let message = try plan.message(for: subscriber, address: address)
            let plain = try Self.plainMessage(plan, message, subscriber)
            #expect(message.text == plain.text, "\(subscriber.name)")
            #expect(message.html == plain.html, "\(subscriber.name)")
            #expect(try message.encoded() == plain.encoded(), "\(subscriber.name)")
        }
    }

    /// A generated recipient: a name of pieces that sit on the encoders' and the wrapper's
    /// edges (blanks, `=`, markup, 2- to 4-byte characters, combining marks, long words), in
    /// any municipality or none.
    static func generatedRecipient(_ random: inout SplitMix64, _ number: Int) -> Subscriber {
        let pieces = ["Aino", "Mäkelä", " ", "  ", "\t", "=", "=?utf-8?Q?", "&", "<b>", "*", "_", "🎭", "e\u{301}", "Ñ",
                      "€", "O'Brien", String(repeating: "x", count: 40), "-", ".", "\"", "ö", "a"]
        var name = ""
        for _ in 0..<Int(random.next() % 14) { name += pieces[Int(random.next() % UInt64(pieces.count))] }
        let places = Municipality.allCases.map(Optional.some) + [nil]
        return Subscriber(
            email: "r\(number).\(random.next() % 1000)@example.fi", name: name,
            municipality: places[Int(random.next() % UInt64(places.count))])
    }

    /// The fast path (the recipient spliced into their variant's encoded runs) against the
    /// plain one (rendered and encoded whole) for generated recipients: the same wire bytes,
    /// and the HTML of the full render from the templates.
    @Test func generatedRecipientsGetTheBytesOfThePlainPath() throws {
        let plan = try Self.plan()
        var random = SplitMix64(seed: 0x5EAD)
        for number in 0..<200 {
            let subscriber = Self.generatedRecipient(&random, number)
            let address = try MailAddress(subscriber.email)
            let message = try plan.message(for: subscriber, address: address)
            let plain = try Self.plainMessage(plan, message, subscriber)
            #expect(try message.encoded() == plain.encoded(), "\(subscriber.name)")
            let url = plan.unsubscribe?.links(for: subscriber, list: plan.listName).url ?? ""
            let full = try plan.newsletter.renderInFull(for: subscriber, unsubscribeURL: url)
            let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
            #expect(message.html == full.html, "\(subscriber.name)")
            #expect(words(message.text) == words(full.text), "\(subscriber.name)")
        }
    }

    /// Read back from the wire with a decoder of its own, each part is what the templates
    /// render for the recipient: the HTML exactly, the text word for word (a spliced line may
    /// wrap differently) with no line of several words over 72 characters.
    @Test func partsDecodeToTheFullRender() throws {
        let plan = try Self.plan()
        for subscriber in Self.recipients {
            let bytes = try plan.rendered(for: subscriber, address: try MailAddress(subscriber.email)).bytes
            let parts = try Self.parts(bytes)
            let url = plan.unsubscribe?.links(for: subscriber, list: plan.listName).url ?? ""
            let full = try plan.newsletter.renderInFull(for: subscriber, unsubscribeURL: url)
            #expect(parts.html == full.html, "\(subscriber.name)")
            let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
            #expect(words(parts.text) == words(full.text), "\(subscriber.name)")
            for line in parts.text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).contains(" ") {
                #expect(line.count <= Newsletter.textWidth, "\(line)")
            }
        }
    }

    /// The text and HTML parts of a message, quoted-printable decoded, line ends as LF.
    static func parts(_ bytes: [UInt8]) throws -> (text: String, html: String) {
        let wire = String(decoding: bytes, as: UTF8.self)
        let boundary = try #require(wire.firstMatch(of: /boundary="([^"]+)"/)?.output.1)
        // The headers, the two parts, and the closing `--`.
        let sections = wire.components(separatedBy: "\r\n--\(boundary)")
        try #require(sections.count == 4)
        let bodies = try sections[1...2].map { section in
            let body = try #require(section.range(of: "\r\n\r\n")).upperBound
            return try #require(decodeQuotedPrintable(Array(section[body...].utf8)))
        }
        return (bodies[0], bodies[1])
    }

    /// A plain quoted-printable decoder: `=\r\n` is a soft break, `=XX` a byte, CRLF a line end.
    static func decodeQuotedPrintable(_ bytes: [UInt8]) -> String? {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 2 < bytes.count {
                if bytes[i + 1] == 13, bytes[i + 2] == 10 {
                    i += 3
                } else if let byte = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    out.append(byte)
                    i += 3
                } else {
                    return nil
                }
            } else if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
                out.append(10)
                i += 2
            } else if bytes[i] >= 128 || bytes[i] == 13 || bytes[i] == 61 {
                return nil
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
