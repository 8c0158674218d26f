import Testing
@testable import TiedoteMail

/// An independent decoder, strict about what the encoder must produce.
func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var i = 0
    func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        default: nil
        }
    }
    while i < bytes.count {
        let b = bytes[i]
        if b == 61 {
            guard i + 2 < bytes.count else { return nil }
            if bytes[i + 1] == 13, bytes[i + 2] == 10 {
                i += 3
                continue
            }
            guard let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
            out.append(h << 4 | l)
            i += 3
        } else if b == 13 {
            guard i + 1 < bytes.count, bytes[i + 1] == 10 else { return nil }
            out.append(10)
            i += 2
        } else {
            out.append(b)
            i += 1
        }
    }
    return out
}

func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    bytes.split(separator: 10, omittingEmptySubsequences: false)
}

@Suite struct QuotedPrintableTests {
    static let samples: [String] = [
        "Hei!\nTervetuloa tuottajakahveille Villa Ranaan keskiviikkona.",
        String(repeating: "ä", count: 200),
        String(repeating: "a", count: 74) + "ä" + String(repeating: "ö", count: 40),
        String(repeating: "🎭", count: 50) + "\n" + String(repeating: "x", count: 300),
        "trailing space \nand tab\t\nend ",
        "equals = and =?utf-8?Q?x?= and . at\n.line start",
        "lone \r carriage return",
        "CRLF\r\nalready\r\n",
        String(repeating: "Åbo Akademi ja Jyväskylän yliopisto, ", count: 20),
        // The densest soft breaks: a 4-byte character and 18 escaped bytes per line.
        String(repeating: "😀äääääääää", count: 400),
        String(repeating: "😀=========", count: 400),
    ]

    /// The output never outgrows the buffer the encoder is given.
    @Test(arguments: samples)
    func encodedSizeStaysWithinTheBound(text: String) {
        #expect(QuotedPrintable.encode(text).count <= QuotedPrintable.maxEncodedCount(text.utf8.count))
    }

    @Test(arguments: samples)
    func roundTrips(text: String) throws {
        let encoded = QuotedPrintable.encode(text)
        let decoded = try #require(decodeQuotedPrintable(encoded))
        let expected = Array(text.replacingOccurrences(of: "\r\n", with: "\n").utf8)
        #expect(decoded == expected)
    }

    @Test(arguments: samples)
    func linesAreShortSevenBitAndCRLF(text: String) {
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.allSatisfy { $0 < 128 })
        for (index, line) in lines(encoded).enumerated() {
            let isLast = index == lines(encoded).count - 1
            if !isLast { #expect(line.last == 13, "every line ends in CRLF") }
            let content = line.last == 13 ? line.dropLast() : line
            #expect(content.count <= 76)
            #expect(!content.dropLast().contains(13), "no bare CR")
            if let last = content.last { #expect(last != 32 && last != 9, "no trailing whitespace") }
        }
    }

    @Test(arguments: samples)
    func softBreaksNeverSplitACharacter(text: String) {
        let encoded = QuotedPrintable.encode(text)
        for line in lines(encoded) {
            let content = Array(line.last == 13 ? line.dropLast() : line)
            guard content.last == 61 else { continue }
            let body = Array(content.dropLast())
            // Decode the line's triplets alone: they must form complete UTF-8.
            guard let decoded = decodeQuotedPrintable(body) else {
                Issue.record("undecodable line")
                continue
            }
            #expect(String(validating: decoded, as: UTF8.self) != nil, "line \(String(decoding: content, as: UTF8.self))")
        }
    }

    /// Deterministic pseudo-random texts that put spaces, `=`, line ends and multi-byte
    /// characters at every offset of the 8-byte fast path and of the line limit.
    static let generated: [String] = {
        let pieces = ["a", "b", " ", "\t", "=", "\n", "\r\n", "ä", "🎭", ".", "x", "\r", "€", "~", "\u{7F}"]
        var seed: UInt64 = 0x5EED
        return (0..<60).map { _ in
            var text = ""
            let length = 1 + Int(seed % 400)
            for _ in 0..<length {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let index = Int((seed >> 33) % UInt64(pieces.count * 3))
                text += index < pieces.count ? pieces[index] : "a"
            }
            return text
        }
    }()

    @Test(arguments: generated)
    func generatedTextsFollowEveryRule(text: String) throws {
        let encoded = QuotedPrintable.encode(text)
        let decoded = try #require(decodeQuotedPrintable(encoded))
        #expect(decoded == Array(text.replacingOccurrences(of: "\r\n", with: "\n").utf8))
        for line in lines(encoded) {
            let content = line.last == 13 ? line.dropLast() : line
            #expect(content.count <= 76)
            #expect(content.allSatisfy { $0 == 9 || ($0 >= 32 && $0 < 127) }, "printable ASCII or a literal tab")
            if let last = content.last { #expect(last != 32 && last != 9) }
        }
    }

    @Test func encodesAsExpected() {
        #expect(String(decoding: QuotedPrintable.encode("Hyvää päivää = 1 \n"), as: UTF8.self) == "Hyv=C3=A4=C3=A4 p=C3=A4iv=C3=A4=C3=A4 =3D 1=20\r\n")
    }
}
