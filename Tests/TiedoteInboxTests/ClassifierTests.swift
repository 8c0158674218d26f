import Testing
import TiedoteInbox

/// The fixture corpus and what each message must be classified as.
struct ClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let expected: [String]

        init(_ file: String, _ expected: String...) {
            self.file = file
            self.expected = expected
        }

        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case("rfc3464-simple.eml", "louis@larry.example.com soft"),
        Case("rfc3464-multi.eml", "arathib@vnet.example.com hard", "johnh@hpnjld.example.com soft", "wsnell@sdcc13.example.com hard"),
        Case("rfc3464-gateway.eml", "- unknown"),
        Case("rfc3464-delayed.eml", "thomas@montfort.example.com soft"),
        Case("postfix-hard.eml", "ville.virtanen@example.com hard"),
        Case("postfix-delayed.eml", "hanna.heikkinen@example.com soft"),
        Case("exim-classic.eml", "matti.meikalainen@example.com hard"),
        Case("exim-defer.eml", "liisa.laine@example.com soft"),
        Case("exchange-ndr.eml", "sari.salo@example.com hard"),
        Case("exchange-legacy-fi.eml", "juha.jarvinen@kunta.example.fi hard"),
        Case("exchange-legacy-html.eml", "olli.ojala@corp.example.com hard"),
        Case("gmail-dsn.eml", "pirjo.peltonen@gmail.example.com hard"),
        Case("gmail-legacy-permanent.eml", "kalle.korhonen@example.com hard"),
        Case("gmail-legacy-delayed.eml", "tiina.toivonen@example.com soft"),
        Case("yahoo.eml", "eero.eskola@yahoo.example.com hard"),
        Case("qmail.eml", "riikka.rantanen@example.com hard"),
        Case("qmail-quota.eml", "teemu.takala@example.com soft"),
        Case("lotus-notes.eml", "pekka.puustinen@notes.example.com hard"),
        Case("groupwise.eml", "aila.aaltonen@gw.example.com hard"),
        Case("plain-en-unsure.eml", "jussi.jokinen@example.com unknown"),
        Case("plain-fi-hard.eml", "anna.aho@posti.example.fi hard"),
        Case("plain-fi-soft.eml", "olavi.ollila@posti.example.fi soft"),
        Case("autoreply-headers.eml", "aino.makela@example.fi auto-reply"),
        Case("autoreply-poissa.eml", "pekka.niemi@example.fi auto-reply"),
        Case("autoreply-x-autoreply.eml", "someone@example.com auto-reply"),
        Case("unsubscribe-token.eml", "aino.makela@example.fi unsubscribe"),
        Case("unsubscribe-token-body.eml", "aino.makela@example.fi unsubscribe"),
        Case("unsubscribe-subscriber.eml", "mikko.mallikas@example.fi unsubscribe"),
        Case("unsubscribe-stranger.eml", "stranger@example.net unknown"),
        Case("unsubscribe-forged.eml", "stranger@example.net unknown"),
        Case("reply-quoting-footer.eml", "aino.makela@example.fi unknown"),
        Case("verp-forwarded.eml", "aino.makela@example.fi hard"),
        Case("verp-text-only.eml", "aino.makela@example.fi hard"),
        Case("postfix-success.eml", "aino.makela@example.fi unknown"),
        Case("not-a-bounce.eml", "liisa@example.fi unknown"),
        Case("malformed-mime.eml", "- unknown"),
    ]

    @Test(arguments: cases)
    func classifies(_ example: Case) throws {
        let findings = Classifier(context: Support.context).classify(try Support.fixture(example.file))
        #expect(findings.map { "\($0.address ?? "-") \($0.kind.rawValue)" } == example.expected)
    }

    @Test func bouncesNameTheirSendFromTheReturnedMessageID() throws {
        let findings = Classifier(context: Support.context).classify(try Support.fixture("postfix-hard.eml"))
        #expect(findings.map(\.send) == ["2026-12/members"])
        #expect(findings.map(\.status) == ["5.1.1"])
    }

    @Test func aVERPTokenSignsTheRecipientAndNamesTheSend() throws {
        let findings = Classifier(context: Support.context).classify(try Support.fixture("verp-forwarded.eml"))
        #expect(findings.map(\.signed) == [true])
        #expect(findings.map(\.send) == ["2026-12/members"])
    }

    @Test func withoutTheSecretTheVERPTokenNamesNobody() throws {
        var context = Support.context
        context.returnToken = { _, _ in nil }
        let findings = Classifier(context: context).classify(try Support.fixture("verp-forwarded.eml"))
        #expect(findings.map { "\($0.address ?? "-") \($0.kind.rawValue) \($0.signed)" } == ["aino@forwarded.example.net hard false"])
    }
}
