import Testing
import TiedoteAudience
import TiedoteCore

/// VERP tokens: short, case-proof, and only the secret's holder can make one that names someone.
struct ReturnPathTokenTests {
    let signer = ReturnPathToken.signer(Support.secret)
    let month = YearMonth(year: 2026, month: 12)

    @Test func namesItsRecipientListAndMonth() throws {
        let month = try #require(month)
        let text = ReturnPathToken.encode(list: "members", month: month, address: "Aino.Makela@example.fi", signer: signer)
        #expect(text.count == 26)
        #expect(text == text.lowercased())
        // A mail system may upper-case the local part on the way back.
        let token = try #require(ReturnPathToken(text.uppercased()))
        #expect(token.month == month)
        #expect(token.names("aino.makela@example.fi", list: "members", signer: signer))
        #expect(!token.names("mikko.mallikas@example.fi", list: "members", signer: signer))
        #expect(!token.names("aino.makela@example.fi", list: "others", signer: signer))
        #expect(!token.names("aino.makela@example.fi", list: "members", signer: ReturnPathToken.signer(Secret("another"))))
    }

    @Test func theSendsSignerMakesTheSameTokens() throws {
        let month = try #require(month)
        let prepared = ReturnPathSigner(secret: Support.secret, list: "members", month: month)
        for address in ["aino.makela@example.fi", "x@example.com", "åsa@example.fi"] {
            #expect(prepared.token(forKey: address) == ReturnPathToken.encode(list: "members", month: month, address: address, signer: signer))
        }
    }

    @Test(arguments: ["", "not-base32!", "aaaa", String(repeating: "a", count: 40)])
    func refusesWhatIsNotAToken(_ text: String) {
        #expect(ReturnPathToken(text) == nil)
    }
}
