import Testing
import TiedoteCore
@testable import TiedoteMail

@Suite struct SMTPConfigurationTests {
    @Test(arguments: [
        ("smtp://smtp.example.fi:587", "smtp.example.fi", false),
        ("smtps://smtp.example.fi", "smtp.example.fi", false),
        ("smtp://127.0.0.1:2525", "127.0.0.1", true),
        ("smtp://localhost", "localhost", true),
        ("smtp://[::1]:25", "::1", true),
        ("smtp://127.0.0.1.example.fi:25", "127.0.0.1.example.fi", false),
        ("smtp://127.1.2.3", "127.1.2.3", true),
    ])
    func hostAndLoopback(url: String, host: String, loopback: Bool) {
        let configuration = SMTPConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(configuration.isLoopback == loopback)
    }

    @Test(arguments: [
        (Settings.TLSPolicy.required, false, "smtp://smtp.example.fi:587", Settings.TLSPolicy.required),
        (.required, false, "smtp://127.0.0.1:2525", .opportunistic),
        (.required, true, "smtp://127.0.0.1:2525", .required),
        (.none, true, "smtp://smtp.example.fi:25", .none),
        (.opportunistic, true, "smtp://smtp.example.fi:25", .opportunistic),
    ])
    func loopbackIsExemptUnlessTLSIsAskedFor(
        configured: Settings.TLSPolicy, explicit: Bool, url: String, effective: Settings.TLSPolicy
    ) {
        #expect(SMTPConfiguration.effectiveTLS(configured: configured, explicit: explicit, url: url) == effective)
    }

    @Test(arguments: [
        ("smtp://smtp.example.fi:587", "smtp://smtp.example.fi:587/verkosto.example.fi"),
        ("smtp://smtp.example.fi:587/", "smtp://smtp.example.fi:587/verkosto.example.fi"),
        ("smtps://smtp.example.fi/oma.example.fi", "smtps://smtp.example.fi/oma.example.fi"),
    ])
    func theEHLONameTravelsAsTheURLPath(url: String, curlURL: String) {
        #expect(SMTPConfiguration(url: url, ehloName: "verkosto.example.fi").curlURL == curlURL)
    }

    @Test(arguments: ["http://smtp.example.fi", "smtp://", "smtp://smtp.example.fi\r\n:25"])
    func badURLsAreRefused(url: String) {
        #expect(throws: MailError.self) { try SMTPConfiguration(url: url).validate() }
    }

    @Test func aUserNameNeedsAPassword() {
        #expect {
            try SMTPConfiguration(url: "smtp://smtp.example.fi", username: "tiedote").validate()
        } throws: { error in
            (error as? MailError)?.kind == .authentication
        }
    }

    @Test func nothingListensHereSoTheConnectionIsLost() throws {
        // Port 9 on loopback: nothing listens, the refusal is immediate and stays on the machine.
        let transport = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:9", tls: .none, timeouts: SMTPTimeouts(connect: 5)))
        let envelope = Envelope(
            from: try MailAddress("a@example.fi"), to: try MailAddress("b@example.fi"), messageID: "x@example.fi")
        let outcome = try transport.send(Array("Subject: x\r\n\r\ny\r\n".utf8), envelope: envelope)
        guard case .connectionLost(_, let maybeDelivered) = outcome else {
            Issue.record("expected a lost connection, got \(outcome)")
            return
        }
        #expect(!maybeDelivered)
    }
}
