import Testing

@testable import TiedoteRender

@Suite("MarkdownDocument.plainText")
struct PlainTextTests {
    /// Markdown and the exact text expected at width 72.
    static let cases: [(String, String)] = [
        (
            "Tervetuloa *tuottajakahveille* Villa Ranaan!",
            "Tervetuloa tuottajakahveille Villa Ranaan!\n"
        ),
        (
            """
            Keski-Suomen tuottajaverkoston tuottajakahvit jatkuvat joulukuussa. Tällä kertaa \
            käsittelemme resilienssiä ja palautumista tuottajan työssä, ja päivän vetää \
            työnohjaaja. Tervetuloa mukaan – kahvi ja pulla tarjotaan!
            """,
            """
            Keski-Suomen tuottajaverkoston tuottajakahvit jatkuvat joulukuussa.
            Tällä kertaa käsittelemme resilienssiä ja palautumista tuottajan työssä,
            ja päivän vetää työnohjaaja. Tervetuloa mukaan – kahvi ja pulla
            tarjotaan!

            """
        ),
        (
            "# Joulukuun tiedote\n\n## Tapahtumat\n\n### Villa Rana\n\nTeksti.",
            "Joulukuun tiedote\n=================\n\nTapahtumat\n----------\n\nVilla Rana\n\nTeksti.\n"
        ),
        (
            "Ilmoittaudu [tästä linkistä](https://example.fi/ilmoittaudu) viimeistään maanantaina.",
            "Ilmoittaudu tästä linkistä <https://example.fi/ilmoittaudu> viimeistään\nmaanantaina.\n"
        ),
        (
            "Sivut: <https://example.fi/tuottajat> ja <toimisto@example.fi>.",
            "Sivut: https://example.fi/tuottajat ja toimisto@example.fi.\n"
        ),
        (
            "- Jyväskylä\n- Viitasaari\n- Saarijärvi\n",
            "- Jyväskylä\n- Viitasaari\n- Saarijärvi\n"
        ),
        (
            "1. Ilmoittaudu\n2. Saavu paikalle\n",
            "1. Ilmoittaudu\n2. Saavu paikalle\n"
        ),
        (
            "- eka\n\n- toka\n",
            "- eka\n\n- toka\n"
        ),
        (
            "- ylempi\n  - alempi\n",
            "- ylempi\n  - alempi\n"
        ),
        (
            "> Kulttuuri kuuluu kaikille.\n>\n> — Verkosto",
            "> Kulttuuri kuuluu kaikille.\n>\n> — Verkosto\n"
        ),
        (
            "```\nlet x = 1\n\nlet y = 2\n```",
            "    let x = 1\n\n    let y = 2\n"
        ),
        (
            "ennen\n\n---\n\njälkeen",
            "ennen\n\n\(String(repeating: "-", count: 72))\n\njälkeen\n"
        ),
        (
            "![Yleisöä salissa](https://example.fi/kuva.jpg)",
            "[Yleisöä salissa] <https://example.fi/kuva.jpg>\n"
        ),
        (
            "Rivi yksi\\\nrivi kaksi",
            "Rivi yksi\nrivi kaksi\n"
        ),
        (
            "Teksti <b>lihava</b> &amp; muuta <!-- ei -->\n\n<div>pois</div>\n\nloppu",
            "Teksti lihava & muuta\n\nloppu\n"
        ),
        (
            "Koodi `tiedote check` ajetaan.",
            "Koodi tiedote check ajetaan.\n"
        ),
        ("", ""),
    ]

    @Test("reads well on its own", arguments: cases)
    func plainText(markdown: String, expected: String) {
        #expect(MarkdownDocument(markdown).plainText() == expected)
    }

    @Test("no line passes 72 characters, counting ä, ö and emoji as one")
    func wrapsByCharacters() {
        let text = String(repeating: "Äänekosken työpäivä 🎭 öljyvärimaalaus ", count: 12)
        let lines = MarkdownDocument(text).plainText().split(separator: "\n")
        #expect(lines.count > 1)
        for line in lines { #expect(line.count <= 72, "\(line)") }
        // Some line must use the room: counting bytes would break far earlier.
        #expect(lines.contains { $0.count >= 60 })
    }

    @Test("a long URL is never broken and gets a line of its own")
    func longURL() {
        let url = "https://example.fi/tapahtumat/2026/12/tuottajakahvit-villa-rana-resilienssi-ja-palautuminen"
        let text = MarkdownDocument("Lisätietoja ja ilmoittautuminen [sivulla](\(url)) – tervetuloa.").plainText()
        #expect(text == "Lisätietoja ja ilmoittautuminen sivulla\n<\(url)>\n– tervetuloa.\n")
    }

    @Test("no-break spaces hold words together")
    func noBreakSpace() {
        let text = MarkdownDocument(String(repeating: "x", count: 66) + " klo\u{00A0}14.00").plainText()
        #expect(text == String(repeating: "x", count: 66) + "\nklo\u{00A0}14.00\n")
    }

    @Test("nil width leaves paragraphs on one line")
    func noWrapping() {
        let long = String(repeating: "sana ", count: 40).trimmingSuffix()
        #expect(MarkdownDocument(long).plainText(width: nil) == long + "\n")
    }

    @Test("quoted and listed text wraps inside its prefix")
    func nestedWrapping() {
        let long = String(repeating: "sana ", count: 30).trimmingSuffix()
        let quoted = MarkdownDocument("> " + long).plainText(width: 40).split(separator: "\n")
        for line in quoted {
            #expect(line.hasPrefix("> "))
            #expect(line.count <= 40)
        }
        let listed = MarkdownDocument("1. " + long).plainText(width: 40).split(separator: "\n")
        #expect(listed.first?.hasPrefix("1. ") == true)
        for line in listed.dropFirst() { #expect(line.hasPrefix("   ") && line.count <= 40) }
    }
}

extension String {
    fileprivate func trimmingSuffix() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
