import Testing
@testable import TiedoteMail

@Suite struct MailAddressTests {
    @Test(arguments: [
        ("aino.makela@example.fi", "aino.makela@example.fi"),
        ("Aino+uutiskirje@Example.FI", "Aino+uutiskirje@example.fi"),
        ("info@jyväskylä.fi", "info@xn--jyvskyl-7wae.fi"),
        ("posti@äänekoski.example.fi", "posti@xn--nekoski-4waa.example.fi"),
    ])
    func acceptsAndNormalises(input: String, wire: String) throws {
        #expect(try MailAddress(input).value == wire)
    }

    @Test(arguments: [
        ("aino@example.fi\r\nBcc: x@example.fi", "line break"),
        ("aino@example.fi\n", "line break"),
        ("aino\0@example.fi", "NUL"),
        ("aino makela@example.fi", "space"),
        ("ainoexample.fi", "no @"),
        ("aino@@example.fi", "2 @ signs"),
        ("a@b@example.fi", "2 @ signs"),
        ("aino@localhost", "no dot"),
        ("@example.fi", "nothing before"),
        ("aino@", "nothing after"),
        (".aino@example.fi", "a dot at its start or end"),
        ("ai..no@example.fi", "two dots in a row"),
        ("äiti@example.fi", "non-ASCII"),
        ("aino@exa_mple.fi", "not allowed in a domain"),
        ("aino@example..fi", "empty part"),
        ("<aino@example.fi>", "not allowed before the @"),
    ])
    func rejects(input: String, reason: String) {
        #expect {
            try MailAddress(input)
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.kind == .invalidAddress && error.message.contains(reason) && !error.message.contains("\r")
                && !error.message.contains("\n")
        }
    }

    @Test func keyIsLowerCased() throws {
        #expect(try MailAddress("Aino@Example.FI").key == "aino@example.fi")
    }
}
