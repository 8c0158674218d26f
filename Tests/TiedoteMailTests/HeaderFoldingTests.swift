import Foundation
import Testing
@testable import TiedoteMail

/// Header lines are folded or encoded so that none passes 998 octets (and, where there is a
/// place to fold, 78), and Python's `email` parser reads back the values that were meant.
@Suite struct HeaderFoldingTests {
    static let longASCII = String(repeating: "Tuottajaverkosto-", count: 70)
    static let longFinnish = String(repeating: "Jyväskylän-kulttuurituotanto-äöå-", count: 40)
    static let longSpaced = Array(repeating: "tuottajakahvit", count: 120).joined(separator: " ")
    static let longQuoted = Array(repeating: "Eero \"Eki\" Kettunen, tuottaja\\", count: 40).joined(separator: "  ")
    static let lookalike = "=?utf-8?q?x=0D=0ABcc:victim@example.fi?="

    static let texts = [
        longASCII, longFinnish, longSpaced, longQuoted, lookalike, "Aino \(lookalike) Mäkelä",
        "  leading and trailing  ", "Plain Name", "Name, with specials",
        "Aino" + String(repeating: " ", count: 1200) + "Mäkelä", "Aino" + String(repeating: " ", count: 1200) + "Makela",
    ]

    /// What Python reads from the headers: `policy.default`'s values, and display names decoded
    /// strictly by RFC 2047 (`email.header.decode_header`, which drops the white space between
    /// adjacent encoded words, §6.2). CPython's `policy.default` keeps that white space inside a
    /// display name, so a name that needs several encoded words side by side reads back with
    /// spaces there; `*_adjacent` says when a name has such a join.
    static func readBack(_ bytes: [UInt8]) throws -> [String: String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-\(UUID().uuidString).eml")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = #"""
            import email, json, re, sys
            from email import policy
            from email.header import decode_header, make_header
            raw = open(sys.argv[1], 'rb').read()
            m = email.message_from_bytes(raw, policy=policy.default)
            legacy = email.message_from_bytes(raw, policy=policy.compat32)
            def unfolded(name): return legacy[name].replace('\r\n', '').replace('\n', '')
            def rfc_name(name):
                phrase = re.sub(r'\s*<[^<>]*>$', '', unfolded(name))
                if phrase.startswith('"'):
                    return re.sub(r'\\(.)', r'\1', phrase[1:-1])
                return str(make_header(decode_header(phrase)))
            def adjacent(name): return '1' if re.search(r'\?=\s+=\?', unfolded(name)) else '0'
            print(json.dumps({
              'subject': str(m['subject']), 'list_id': str(m['list-id']),
              'from_name': m['from'].addresses[0].display_name, 'to_name': m['to'].addresses[0].display_name,
              'from_rfc': rfc_name('from'), 'to_rfc': rfc_name('to'),
              'from_adjacent': adjacent('from'), 'to_adjacent': adjacent('to'),
              'defects': str(len(m.defects) + sum(len(h.defects) for h in m.values() if hasattr(h, 'defects'))),
            }))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
    }

    /// The header block's lines.
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        return head.components(separatedBy: "\r\n")
    }

    /// No line passes 998; a line passes 78 only when it holds one unbreakable token.
    static func expectFolded(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for line in headerLines(bytes) {
            #expect(line.utf8.count <= HeaderWriter.hardLimit, "\(line.prefix(100))…", sourceLocation: sourceLocation)
            guard line.utf8.count > HeaderWriter.softLimit else { continue }
            let body = line.hasPrefix(" ") ? String(line.dropFirst()) : String(line.split(separator: " ", maxSplits: 1).last ?? "")
            #expect(!body.contains(" "), "a long line with a place to fold: \(line.prefix(100))…", sourceLocation: sourceLocation)
        }
        for word in String(decoding: bytes, as: UTF8.self).matches(of: /=\?utf-8\?Q\?[^?]*\?=/) {
            #expect(word.output.count <= 75, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: texts)
    func displayNamesSubjectsAndListTitlesReadBack(text: String) throws {
        var message = try sampleMessage(subject: text, fromName: text, toName: text)
        message.list?.title = text
        let bytes = try message.encoded()
        Self.expectFolded(bytes)
        let parsed = try Self.readBack(bytes)
        #expect(parsed["defects"] == "0")
        #expect(parsed["from_rfc"] == text)
        #expect(parsed["to_rfc"] == text)
        if parsed["from_adjacent"] == "0" { #expect(parsed["from_name"] == text) }
        if parsed["to_adjacent"] == "0" { #expect(parsed["to_name"] == text) }
        // An unstructured value loses its leading white space to any reader.
        #expect(parsed["subject"]?.trimmingCharacters(in: .whitespaces) == text.trimmingCharacters(in: .whitespaces))
        // List-Id is unstructured to Python: a quoted title keeps its quotes.
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let title = EncodedWord.phraseForm(text) == .quoted ? "\"\(escaped)\"" : text
        #expect(parsed["list_id"] == "\(title) <members.tuottajaverkosto.example.fi>")
    }

    /// Names of a few words, some needing encoding, as most real ones are: one encoded word
    /// each run, so even `policy.default` reads them back exactly.
    @Test(arguments: [
        "=?utf-8?q?x=0D=0ABcc:victim@example.fi?=", "Åsa Öhman-Järvinen 🎻", "Jyväskylän kaupungin kulttuuripalvelut ja Äänekosken kaupunginkirjasto",
        "Humak, kulttuurituotannon tutkinto-ohjelma", "Eero \"Eki\" Kettunen, tuottaja",
    ])
    func everydayNamesReadBackExactly(text: String) throws {
        let parsed = try Self.readBack(try sampleMessage(fromName: text, toName: text).encoded())
        #expect(parsed["from_adjacent"] == "0")
        #expect(parsed["from_name"] == text)
        #expect(parsed["to_name"] == text)
    }

    @Test func textThatLooksLikeAnEncodedWordIsEncodedItself() throws {
        let bytes = try sampleMessage(fromName: Self.lookalike, toName: Self.lookalike).encoded()
        let head = Self.headerLines(bytes).joined(separator: "\n")
        #expect(!head.contains("=?utf-8?q?x"), "written as it is, a reader would decode it:\n\(head)")
        #expect(!head.contains("Bcc"))
    }

    @Test func aLongURLStandsOnALineOfItsOwn() throws {
        var message = try sampleMessage()
        let url = "https://tuottajaverkosto.example.fi/" + String(repeating: "p", count: 900)
        message.list?.unsubscribeURL = url
        let bytes = try message.encoded()
        Self.expectFolded(bytes)
        #expect(Self.headerLines(bytes).contains(" <\(url)>"))
        #expect(try parseWithPython(bytes)["list_unsubscribe"]
            == "<mailto:peru@tuottajaverkosto.example.fi?subject=unsubscribe>, <\(url)>")
    }

    @Test(arguments: ["url", "messageID"])
    func aTokenThatCannotFitOnALineIsRefused(field: String) throws {
        var message = try sampleMessage()
        let long = String(repeating: "p", count: 1000)
        if field == "url" {
            message.list?.unsubscribeURL = "https://tuottajaverkosto.example.fi/" + long
        } else {
            message.messageID = long + "@tuottajaverkosto.example.fi"
        }
        #expect {
            try message.encoded()
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.kind == .invalidHeader && error.message.contains("998")
        }
    }

    @Test(arguments: texts)
    func sharedLinesAreTheSameBytesAsWrittenInFull(text: String) throws {
        var message = try sampleMessage(subject: text, fromName: text, toName: "Aino")
        message.list?.title = text
        let shared = try SharedHeaders(for: message)
        #expect(try message.encoded(sharing: shared) == message.encoded())
        var other = message
        other.subject = "Another subject"
        #expect(try other.encoded(sharing: shared) == other.encoded(), "a block for other values is not used")
        #expect(Self.headerLines(try other.encoded(sharing: shared)).contains("Subject: Another subject"))
    }

    @Test func sharedLinesCheckTheValuesToo() throws {
        let message = try sampleMessage(subject: "Uutiskirje\r\nBcc: x@example.fi")
        #expect(throws: MailError.self) { try SharedHeaders(for: message) }
    }
}
