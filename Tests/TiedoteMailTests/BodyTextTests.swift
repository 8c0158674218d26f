import Testing
@testable import TiedoteMail

/// A body cut into shared (encoded once) and own runs encodes exactly like its whole text,
/// wherever the cuts fall.
@Suite struct BodyTextTests {
    /// A small deterministic generator (PCG-style LCG), so every failure can be replayed.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Text pieces chosen to land blanks before line ends and at run ends, `=`, lone CR and
    /// LF (so a CRLF can be cut in two), characters of 2 to 4 bytes, and lines over 76.
    static let pieces = [
        "a", "b", "x", " ", "\t", "=", "\n", "\r\n", "\r", " \n", "\t\r\n", "ä", "€", "🎭", "e\u{301}", ".",
        String(repeating: "y", count: 80), String(repeating: "ö", count: 30), String(repeating: " ", count: 3),
    ]

    /// A random text cut at random Unicode scalar boundaries (which may fall inside a CRLF or
    /// between a letter and its combining mark) into runs, each shared or own; some runs empty.
    static func body(seed: UInt64) -> BodyText {
        var random = Generator(state: seed)
        var scalars: [Unicode.Scalar] = []
        for _ in 0..<(1 + random.next(120)) {
            let piece = pieces[random.next(pieces.count * 2) % pieces.count]
            scalars.append(contentsOf: piece.unicodeScalars)
        }
        var runs: [BodyText.Run] = []
        var start = 0
        while start < scalars.count {
            let length = random.next(4) == 0 ? 0 : 1 + random.next(random.next(2) == 0 ? 6 : 200)
            let end = min(start + length, scalars.count)
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[start..<end])
            runs.append(random.next(2) == 0 ? .shared(SharedText(text)) : .text(text))
            start = end
        }
        return BodyText(runs: runs)
    }

    /// What a decoder must give back for `text`: its bytes with each CRLF read as a line end
    /// (the test decoder returns line ends as LF).
    static func expectedDecoding(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
                i += 1
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// Checks everything RFC 2045 asks of the output, and that it decodes to `text`.
    static func expectValid(_ encoded: [UInt8], decodingTo text: String) throws {
        let decoded = try #require(decodeQuotedPrintable(encoded), "undecodable")
        #expect(decoded == expectedDecoding(text))
        let all = lines(encoded)
        for (index, line) in all.enumerated() {
            if index < all.count - 1 { #expect(line.last == 13, "every line ends in CRLF") }
            let content = line.last == 13 ? line.dropLast() : line
            #expect(content.count <= 76, "\(String(decoding: content, as: UTF8.self))")
            #expect(content.allSatisfy { $0 == 9 || ($0 >= 32 && $0 < 127) }, "printable ASCII or a literal tab")
            if let last = content.last { #expect(last != 32 && last != 9, "no trailing whitespace") }
        }
    }

    @Test(arguments: 0..<300)
    func randomCutsEncodeLikeTheWholeText(seed: Int) throws {
        let body = Self.body(seed: UInt64(seed) &+ 0x5EED)
        let whole = body.string
        let encoded = QuotedPrintable.encode(body)
        #expect(encoded == QuotedPrintable.encode(whole), "the same bytes as the whole text")
        #expect(encoded.count <= body.maxEncodedCount)
        try Self.expectValid(encoded, decodingTo: whole)
    }

    /// Cuts where the encoder looks across a boundary: a blank before a line end in the next
    /// run, a CRLF cut in two, a run that starts a line after own text, runs with no line break,
    /// a long line running through several runs, empty runs everywhere.
    @Test(arguments: [
        [("s", "Hei "), ("o", "\nrivi")],
        [("o", "Hei\t"), ("s", "\r\nrivi\n"), ("o", "")],
        [("s", "rivi\r"), ("o", "\n")],
        [("o", "rivi\r"), ("s", "\nseuraava\nja ")],
        [("o", "Hei Åsa!\n"), ("s", "Ensimmäinen rivi\nToinen rivi \n"), ("o", "loppu")],
        [("s", ""), ("o", ""), ("s", "\n"), ("o", ""), ("s", "\n\n")],
        [("s", String(repeating: "a", count: 70)), ("o", "äöå🎭"), ("s", String(repeating: "b", count: 90) + "\n" + String(repeating: "c", count: 100))],
        [("s", "="), ("o", "="), ("s", "=\n="), ("o", " ")],
        [("o", "Aino Mäkelä"), ("s", " ")],
        [("s", "abc"), ("s", " \n"), ("s", "def")],
    ])
    func cutsAtTheEncodersLookahead(runs: [(String, String)]) throws {
        let body = BodyText(runs: runs.map { kind, text in kind == "s" ? .shared(SharedText(text)) : .text(text) })
        let encoded = QuotedPrintable.encode(body)
        #expect(encoded == QuotedPrintable.encode(body.string))
        try Self.expectValid(encoded, decodingTo: body.string)
    }

    @Test func sharedTextKeepsItsText() {
        for text in ["", "no line break", "one\n", "\n", "a\nb\nc", "ä\r\nö\r\n🎭"] {
            #expect(SharedText(text).text == text)
        }
    }
}
