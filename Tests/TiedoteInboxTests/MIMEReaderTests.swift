import Testing
@testable import TiedoteInbox

/// The MIME reader: headers, encodings, structure and its limits.
struct MIMEReaderTests {
    static func parse(_ text: String) throws -> MIMEPart {
        try MIMEReader.parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test func unfoldsAndDecodesEncodedWords() throws {
        let message = try Self.parse("""
            Subject: =?utf-8?q?Poissa_toimistolta?= =?ISO-8859-1?B?5OQ=?=
             and more
            From: "Aino" <aino@example.fi>

            body
            """)
        #expect(message.header("subject") == "Poissa toimistolta\u{e4}\u{e4} and more")
        #expect(message.header("FROM") == "\"Aino\" <aino@example.fi>")
        #expect(message.text == "body")
    }

    @Test func leavesMalformedEncodedWordsAsWritten() throws {
        let message = try Self.parse("Subject: =?utf-8?x?abc?= =?broken\n\n")
        #expect(message.header("Subject") == "=?utf-8?x?abc?= =?broken")
    }

    @Test func aDecodedLineBreakNeverReachesAValue() throws {
        // CR/LF smuggled in encoded words and a bare CR in the raw header.
        let message = try MIMEReader.parse(Array("Subject: =?utf-8?q?a=0D=0ABcc:_x@example.com?=\r\nX-Bad: a\rb\r\n\r\n".utf8))
        #expect(message.header("Subject") == "a  Bcc: x@example.com")
        #expect(message.header("X-Bad") == "a b")
        #expect(message.headers.count == 2)
    }

    @Test func decodesQuotedPrintableAndBase64WithCharsets() throws {
        let message = try Self.parse("""
            Content-Type: multipart/mixed; boundary="b"

            preamble
            --b
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            P=E4iv=E4=
            =E4
            --b
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            UG9pc3NhIHRvaW1pc3RvbHRh
            --b--
            epilogue
            """)
        #expect(message.parts.map(\.text) == ["Päivää", "Poissa toimistolta"])
    }

    @Test func readsAnEmbeddedMessage() throws {
        let message = try Self.parse("""
            Content-Type: multipart/report; report-type=delivery-status; boundary=x

            --x
            Content-Type: message/rfc822

            To: aino@example.fi
            Message-ID: <a@b>

            hei
            --x--
            """)
        #expect(message.parts.first?.parts.first?.header("To") == "aino@example.fi")
    }

    @Test func keepsInvalidUTF8AsReplacementCharacters() throws {
        let bytes: [UInt8] = Array("Subject: ".utf8) + [0xFF, 0xC3] + Array("\r\n\r\nx".utf8) + [0xE2, 0x82]
        let message = try MIMEReader.parse(bytes)
        #expect(message.header("Subject") == "\u{FFFD}\u{FFFD}")
        #expect(message.text == "x\u{FFFD}")
    }

    @Test func capsNesting() throws {
        var text = "x"
        for depth in 0..<50 {
            text = "Content-Type: multipart/mixed; boundary=\"b\(depth)\"\r\n\r\n--b\(depth)\r\n\(text)\r\n--b\(depth)--\r\n"
        }
        let message = try MIMEReader.parse(Array(text.utf8))
        var depth = 0
        var part = message
        while let inner = part.parts.first {
            part = inner
            depth += 1
        }
        #expect(depth == MIMEReader.maxDepth)
    }

    @Test func refusesAnOversizedMessage() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: MIMEReader.maxMessageSize + 1)
        #expect(throws: MIMEReader.Refusal.tooLarge(bytes.count)) { try MIMEReader.parse(bytes) }
        let findings = Classifier().classify(bytes)
        #expect(findings.map(\.kind) == [.unknown])
    }

    @Test func anUnclosedMultipartKeepsItsLastPart() throws {
        let message = try Self.parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo")
        #expect(message.parts.map(\.text) == ["one", "two"])
    }

    @Test func aMultipartWithoutItsBoundaryIsText() throws {
        let message = try Self.parse("Content-Type: multipart/mixed; boundary=zzz\n\njust text")
        #expect(message.parts.isEmpty)
        #expect(message.text == "just text")
    }
}
