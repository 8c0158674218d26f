import Foundation
import Testing
@testable import TiedoteMail

func sampleMessage(
    subject: String = "Joulukuun uutiskirje: tuottajakahvit ja työpajat 🎄",
    fromName: String = "Humak, kulttuurituotannon tutkinto-ohjelma",
    toName: String = "Åsa Öhman-Järvinen",
    text: String = "Hei Åsa!\n\nTervetuloa. 🎭\n",
    html: String = "<p>Hei <b>Åsa</b>!</p>\n"
) throws -> MIMEMessage {
    MIMEMessage(
        from: Mailbox(name: fromName, address: try MailAddress("tuottajaverkosto@humak.example.fi")),
        replyTo: try MailAddress("kulttuurituotanto@humak.example.fi"),
        to: Mailbox(name: toName, address: try MailAddress("asa@example.fi")),
        subject: subject,
        date: 1_796_117_400,  // 2026-12-01 09:30:00 UTC
        messageID: MIMEMessage.messageID(
            issue: "2026-12", list: "members", recipient: try MailAddress("Asa@Example.fi"),
            domain: "tuottajaverkosto.example.fi"),
        list: ListHeaders(
            id: ListHeaders.listID(name: "members", domain: "tuottajaverkosto.example.fi"),
            title: "Keski-Suomen tuottajaverkoston uutiskirje",
            unsubscribeMailto: ListHeaders.mailto(try MailAddress("peru@tuottajaverkosto.example.fi")),
            unsubscribeURL: "https://tuottajaverkosto.example.fi/peru?t=abc123"),
        text: text, html: html)
}

/// Parses a message with Python's `email` package (policy=default) and returns what it read.
func parseWithPython(_ bytes: [UInt8]) throws -> [String: String] {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-\(UUID().uuidString).eml")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = """
        import email, json, sys
        from email import policy
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
        parts = [p for p in m.walk() if not p.is_multipart()]
        print(json.dumps({
          'subject': str(m['subject']), 'from_name': m['from'].addresses[0].display_name,
          'from_addr': m['from'].addresses[0].addr_spec, 'to_name': m['to'].addresses[0].display_name,
          'list_id': str(m['list-id']), 'list_unsubscribe': str(m['list-unsubscribe']),
          'list_unsubscribe_post': str(m['list-unsubscribe-post']), 'date': str(m['date']),
          'message_id': str(m['message-id']), 'content_type': m.get_content_type(),
          'types': ','.join(p.get_content_type() for p in parts),
          'text': parts[0].get_content(), 'html': parts[1].get_content(),
          'defects': str(len(m.defects) + sum(len(p.defects) for p in parts)),
        }))
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let object = try JSONSerialization.jsonObject(with: data)
    return try #require(object as? [String: String])
}

@Suite struct MIMEMessageTests {
    @Test(arguments: [
        "Joulukuun uutiskirje: tuottajakahvit ja työpajat 🎄",
        "Plain ASCII subject",
        "Kysymys? Vastaus = totta_ehkä, ja \"lainaus\" sekä =?utf-8?Q?huijaus?=",
        String(repeating: "Keski-Suomen kulttuurituottajien verkoston joulukuun tapahtumat ja ilmoitukset, ", count: 4) + "🎄✨",
        String(repeating: "A long plain English subject line that needs folding at spaces ", count: 3),
    ])
    func pythonReadsBackWhatWasMeant(subject: String) throws {
        let message = try sampleMessage(subject: subject)
        let parsed = try parseWithPython(try message.encoded())
        #expect(parsed["subject"] == subject)
        #expect(parsed["from_name"] == message.from.name)
        #expect(parsed["from_addr"] == "tuottajaverkosto@humak.example.fi")
        #expect(parsed["to_name"] == message.to.name)
        #expect(parsed["text"] == message.text)
        #expect(parsed["html"] == message.html)
        #expect(parsed["content_type"] == "multipart/alternative")
        #expect(parsed["types"] == "text/plain,text/html")
        #expect(parsed["list_id"] == "Keski-Suomen tuottajaverkoston uutiskirje <members.tuottajaverkosto.example.fi>")
        #expect(parsed["list_unsubscribe"] == "<mailto:peru@tuottajaverkosto.example.fi?subject=unsubscribe>, <https://tuottajaverkosto.example.fi/peru?t=abc123>")
        #expect(parsed["list_unsubscribe_post"] == "List-Unsubscribe=One-Click")
        #expect(parsed["date"] == "Tue, 01 Dec 2026 11:30:00 +0200")
        #expect(parsed["defects"] == "0")
    }

    @Test func wireIsSevenBitCRLFWithShortLines() throws {
        let long = String(repeating: "Äänekosken ja Jyväskylän tapahtumat 🎻 ", count: 6)
        let bytes = try sampleMessage(subject: long, toName: long, text: long, html: long).encoded()
        #expect(bytes.allSatisfy { $0 < 128 })
        let text = String(decoding: bytes, as: UTF8.self)
        let rawLines = text.components(separatedBy: "\r\n")
        #expect(!rawLines.contains { $0.contains("\n") || $0.contains("\r") }, "only CRLF line ends")
        // URLs cannot be folded; every other line keeps to the recommended 78.
        for line in rawLines where !line.contains("mailto:") && !line.contains("https:") {
            #expect(line.utf8.count <= 78, "\(line)")
        }
        for word in text.matches(of: /=\?utf-8\?Q\?[^?]*\?=/) {
            #expect(word.output.count <= 75)
        }
    }

    @Test func noUnsubscribePostWithoutHTTPS() throws {
        var message = try sampleMessage()
        message.list?.unsubscribeURL = nil
        let text = String(decoding: try message.encoded(), as: UTF8.self)
        #expect(text.contains("List-Unsubscribe: <mailto:peru@tuottajaverkosto.example.fi?subject=unsubscribe>\r\n"))
        #expect(!text.contains("List-Unsubscribe-Post"))
    }

    @Test func messageIDIsStablePerIssueListAndRecipient() throws {
        let a = MIMEMessage.messageID(issue: "2026-12", list: "members", recipient: try MailAddress("Aino@Example.fi"), domain: "d.example")
        let b = MIMEMessage.messageID(issue: "2026-12", list: "members", recipient: try MailAddress("aino@example.fi"), domain: "d.example")
        let c = MIMEMessage.messageID(issue: "2026-12", list: "members", recipient: try MailAddress("eino@example.fi"), domain: "d.example")
        #expect(a == b)
        #expect(a != c)
        #expect(a.hasPrefix("2026-12.members.") && a.hasSuffix("@d.example"))
    }

    @Test(arguments: [
        (1_796_117_400, "Tue, 01 Dec 2026 11:30:00 +0200"),
        (1_783_000_000, "Thu, 02 Jul 2026 16:46:40 +0300"),
        (0, "Thu, 01 Jan 1970 02:00:00 +0200"),
        (1_774_746_000, "Sun, 29 Mar 2026 04:00:00 +0300"),
    ])
    func dateUsesEnglishTokensAndHelsinkiOffset(instant: Int, text: String) {
        #expect(MailDate.text(instant) == text)
    }

    @Test(arguments: [
        ("subject", "Uutiskirje\r\nBcc: kaikki@example.fi"),
        ("subject", "Uutiskirje\nBcc: kaikki@example.fi"),
        ("from", "Humak\r\nBcc: x@example.fi"),
        ("to", "Aino\nX-Injected: 1"),
        ("title", "Lista\r\n"),
        ("url", "https://example.fi/peru?t=1\r\nX: y"),
        ("url", "http://example.fi/peru"),
    ])
    func headerInjectionIsRejected(field: String, value: String) throws {
        var message = try sampleMessage()
        switch field {
        case "subject": message.subject = value
        case "from": message.from.name = value
        case "to": message.to.name = value
        case "title": message.list?.title = value
        default: message.list?.unsubscribeURL = value
        }
        #expect {
            try message.encoded()
        } throws: { error in
            (error as? MailError)?.kind == .invalidHeader
        }
    }
}
