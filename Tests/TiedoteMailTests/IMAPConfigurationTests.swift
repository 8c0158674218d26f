import Testing
import TiedoteCore
@testable import TiedoteMail

/// IMAP URLs: the server and folder, TLS unless on loopback, nothing smuggled in.
struct IMAPConfigurationTests {
    @Test func splitsServerAndFolder() {
        let configuration = IMAPConfiguration(url: "imaps://imap.example.fi:993/Saapuneet")
        #expect(configuration.server == "imaps://imap.example.fi:993")
        #expect(configuration.mailbox == "Saapuneet")
        #expect(IMAPConfiguration(url: "imaps://imap.example.fi").mailbox == "INBOX")
        #expect(IMAPConfiguration(url: "imap://127.0.0.1:1143/").isLoopback)
        #expect(!IMAPConfiguration(url: "imap://127.0.0.1.example.fi/INBOX").isLoopback)
    }

    @Test(arguments: [
        "imap://imap.example.fi/INBOX", "imap://127.0.0.1.example.fi/INBOX", "pop3://127.0.0.1/INBOX",
        "imaps://user@imap.example.fi/INBOX", "imaps://imap.example.fi/INBOX;UID=1", "imaps://imap.example.fi/IN\"BOX",
        "imaps://imap.example.fi/INBOX\r\nA1 DELETE INBOX",
    ])
    func refuses(_ url: String) {
        #expect(throws: MailError.self) { try IMAPConfiguration(url: url).validate() }
    }

    @Test(arguments: ["imaps://imap.example.fi/INBOX", "imap://127.0.0.1:1143/INBOX", "imap://localhost/INBOX"])
    func accepts(_ url: String) throws {
        try IMAPConfiguration(url: url).validate()
    }

    @Test func aUserNameWantsAPassword() {
        #expect(throws: MailError.self) { try IMAPConfiguration(url: "imaps://imap.example.fi/INBOX", username: "x").validate() }
    }

    @Test func foldersArePercentEncodedInURLs() {
        #expect(IMAPMailbox.percentEncoded("Tiedote 2026/ä") == "Tiedote%202026%2F%C3%A4")
    }
}

/// VERP tags on a return path.
struct MailAddressTagTests {
    @Test func tagsTheLocalPart() throws {
        #expect(try MailAddress("bounces@example.fi").tagged("abc234").value == "bounces+abc234@example.fi")
    }

    @Test(arguments: ["", "ABC", "a b", "a\r\nb", "a@b", String(repeating: "a", count: 57)])
    func refuses(_ tag: String) {
        #expect(throws: MailError.self) { try MailAddress("bounces@example.fi").tagged(tag) }
    }
}
