import Testing
import TiedoteCore

struct EmailAddressTests {
    @Test(arguments: [
        ("aino@example.fi", "aino@example.fi"),
        ("  Aino.Makela+uutiskirje@Example.FI ", "Aino.Makela+uutiskirje@example.fi"),
        ("o'brien@example.co.uk", "o'brien@example.co.uk"),
        ("juha@kylä.example.fi", "juha@xn--kyl-sla.example.fi"),
        ("info@jyväskylä.fi", "info@xn--jyvskyl-7wae.fi"),
        ("x@ÄÄNEKOSKI.FI", "x@xn--nekoski-4waa.fi"),
    ])
    func accepts(raw: String, normalized: String) throws {
        #expect(EmailAddress.validate(raw) == nil)
        #expect(try EmailAddress.normalized(raw).get() == normalized)
    }

    @Test(arguments: [
        ("", "the address is empty"),
        ("aino.example.fi", "the address has no @"),
        ("a@@example.fi", "the address has 2 @ signs; it must have exactly one"),
        ("a@b@example.fi", "the address has 2 @ signs; it must have exactly one"),
        ("aino @example.fi", "the address contains a space"),
        ("aino@example.fi\r\nBcc: x@y.fi", "the address contains a line break"),
        ("aino@example.fi\nx", "the address contains a line break"),
        ("@example.fi", "nothing before the @"),
        ("aino@", "nothing after the @"),
        ("aino@localhost", "the domain 'localhost' has no dot; check it (e.g. example.fi)"),
        ("aino@example..fi", "the domain 'example..fi' has an empty part (two dots in a row or a dot at an end)"),
        ("aino@example.fi.", "the domain 'example.fi.' has an empty part (two dots in a row or a dot at an end)"),
        (".aino@example.fi", "the part before the @ has a dot at its start or end, or two dots in a row"),
        ("ai..no@example.fi", "the part before the @ has a dot at its start or end, or two dots in a row"),
        ("\"aino\"@example.fi", "quoted addresses (\"…\"@) are not supported"),
        ("aino@[192.0.2.1]", "IP-address domains ([…]) are not supported"),
        ("aino@192.0.2.1", "the domain '192.0.2.1' ends in a number; IP addresses are not supported"),
        ("aino@-example.fi", "a part of the domain '-example.fi' starts or ends with a hyphen"),
        ("aino@exa_mple.fi", "the character '_' is not allowed in a domain"),
        ("aino(x)@example.fi", "the character '(' is not allowed before the @"),
        ("jänis@example.fi", "non-ASCII letters before the @ ('jänis') are not deliverable everywhere; ask for another address"),
        ("aino@exa☃mple.fi", "the domain contains the character '☃', which no domain name can hold"),
    ])
    func rejects(raw: String, reason: String) {
        #expect(EmailAddress.validate(raw) == reason)
    }

    /// RFC 3492 section 7.1 sample (B) and well-known labels.
    @Test(arguments: [
        ("bücher", "bcher-kva"),
        ("münchen", "mnchen-3ya"),
        ("jyväskylä", "jyvskyl-7wae"),
        ("äänekoski", "nekoski-4waa"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
    ])
    func punycode(label: String, encoded: String) {
        #expect(Punycode.encode(label) == encoded)
    }
}
