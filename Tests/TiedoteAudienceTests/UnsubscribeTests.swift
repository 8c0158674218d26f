import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct UnsubscribeTests {
    static let secret = Secret("test-secret-0123456789abcdef")

    @Test func tokenRoundTripsAndIsURLSafe() throws {
        let token = UnsubscribeToken(list: "members", address: "Aino@Example.fi").encoded(secret: Self.secret)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        let verified = try UnsubscribeToken.verify(token, secret: Self.secret)
        #expect(verified == UnsubscribeToken(list: "members", address: "aino@example.fi"))
    }

    /// A token made with a send's keyed signer is the token made from the secret alone, also
    /// after the secret is changed.
    @Test func keyedSignerMakesTheSameToken() throws {
        let settings = Settings.Unsubscribe(url: "https://verkosto.example.fi/peru?t={token}")
        var unsubscribe = Unsubscribe(settings: settings, secret: Self.secret)
        for secret in [Self.secret, Secret("another")] {
            unsubscribe.secret = secret
            for address in ["aino@example.fi", "Åsa.Öhman@example.fi", "x@y.z"] {
                #expect(unsubscribe.token(list: "members", address: address)
                    == UnsubscribeToken(list: "members", address: address).encoded(secret: secret))
                #expect(try UnsubscribeToken.verify(unsubscribe.token(list: "members", address: address), secret: secret).list == "members")
            }
        }
    }

    /// Base64url is Foundation's base64 with `-` and `_` and without padding, for every length
    /// and for slices of larger data.
    @Test func base64URLMatchesFoundation() {
        var seed: UInt64 = 0xB64
        for length in 0..<200 {
            let bytes = (0..<(length + 5)).map { _ -> UInt8 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 40)
            }
            let data = Data(bytes).dropFirst(5)
            let expected = data.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(data) == expected)
            #expect(Base64URL.decode(expected) == data)
        }
    }

    /// Ways to tamper with a valid token for aino@example.fi on `members`.
    static let tamperings: [(String, @Sendable (String) -> String, UnsubscribeToken.Refusal)] = [
        ("payload swapped for another address", { token in
            let mac = token.split(separator: ".")[1]
            return Base64URL.encode(Data("members\nmallory@example.fi".utf8)) + "." + mac
        }, .badSignature),
        ("payload swapped for another list", { token in
            let mac = token.split(separator: ".")[1]
            return Base64URL.encode(Data("other\naino@example.fi".utf8)) + "." + mac
        }, .badSignature),
        ("one MAC character changed", { token in
            var characters = Array(token)
            characters[characters.count - 2] = characters[characters.count - 2] == "A" ? "B" : "A"
            return String(characters)
        }, .badSignature),
        ("MAC truncated", { token in
            let parts = token.split(separator: ".")
            return parts[0] + "." + (Base64URL.decode(parts[1]).map { Base64URL.encode($0.dropLast(3)) } ?? "")
        }, .badSignature),
        ("last character's unused bits changed (decodes to the same bytes)", { token in
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            var characters = Array(token)
            let index = alphabet.firstIndex(of: characters[characters.count - 1]) ?? 0
            characters[characters.count - 1] = alphabet[index ^ 1]
            return String(characters)
        }, .malformed),
        ("MAC missing", { String($0.split(separator: ".")[0]) }, .malformed),
        ("not base64url", { $0.replacingOccurrences(of: ".", with: ".!") }, .malformed),
        ("empty", { _ in "" }, .malformed),
        ("forged with another secret", { _ in
            UnsubscribeToken(list: "members", address: "aino@example.fi").encoded(secret: Secret("guessed"))
        }, .badSignature),
    ]

    @Test(arguments: 0..<tamperings.count)
    func forgedOrAlteredTokensAreRefused(index: Int) {
        let (_, tamper, refusal) = Self.tamperings[index]
        let token = UnsubscribeToken(list: "members", address: "aino@example.fi").encoded(secret: Self.secret)
        #expect(throws: refusal) { try UnsubscribeToken.verify(tamper(token), secret: Self.secret) }
    }

    @Test func unsubscribeURLFillsTheToken() throws {
        let settings = Settings.Unsubscribe(
            url: "https://verkosto.example.fi/peru?t={token}", mailto: "peru@verkosto.example.fi")
        let unsubscribe = Unsubscribe(settings: settings, secret: Self.secret)
        let subscriber = Subscriber(email: "aino@example.fi")
        let url = try #require(unsubscribe.unsubscribeURL(for: subscriber, list: "members"))
        #expect(url.hasPrefix("https://verkosto.example.fi/peru?t="))
        let token = String(url.dropFirst("https://verkosto.example.fi/peru?t=".count))
        #expect(try unsubscribe.verify(token).address == "aino@example.fi")
        #expect(unsubscribe.unsubscribeMailto(for: subscriber, list: "members") == "mailto:peru@verkosto.example.fi?subject=unsubscribe%20\(token)")
    }

    @Test func secretComesFromTheEnvironmentOrSaysWhatToSet() throws {
        let workspace = try Fixture.workspace()
        let long = "s3cret-0123456789abcdef-0123456789abcdef"
        let fromEnvironment = try Unsubscribe(workspace: workspace, environment: ["TIEDOTE_TEST_UNSUBSCRIBE_SECRET": long])
        #expect(fromEnvironment.secret.value == long)
        #expect(throws: Diagnostic.self) { try Unsubscribe(workspace: workspace, environment: [:]) }
        do {
            _ = try Unsubscribe(workspace: workspace, environment: [:])
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.message.contains("TIEDOTE_TEST_UNSUBSCRIBE_SECRET"))
            #expect(diagnostic.message.contains(".tiedote-secret"))
        }
    }

    @Test(arguments: ["s3cret", " ", "x", String(repeating: " ", count: 40), "0123456789abcdef 0123456789abcde"])
    func aSecretTooShortToSignWithIsRefusedAndNeverShown(secret: String) throws {
        let workspace = try Fixture.workspace()
        do {
            _ = try Unsubscribe(workspace: workspace, environment: ["TIEDOTE_TEST_UNSUBSCRIBE_SECRET": secret])
            Issue.record("a secret of \(secret.utf8.count) bytes was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.message.contains("at least 32"))
            #expect(diagnostic.message.contains("openssl rand -hex 32 > .tiedote-secret"))
            #expect(diagnostic.message.contains("TIEDOTE_TEST_UNSUBSCRIBE_SECRET"))
            #expect(secret.trimmingCharacters(in: .whitespaces).count < 8 || !diagnostic.message.contains(secret))
            #expect(diagnostic.position == workspace.settings.position(of: "unsubscribe.secret_env"))
        }
    }

    @Test(arguments: ["members", "m", String(repeating: "pitkä-lista", count: 20)])
    func theLongestTokenIsTheOneForTheLongestAddress(list: String) throws {
        let local = String(repeating: "a", count: 64)
        let domain = [String(repeating: "b", count: 63), String(repeating: "c", count: 63), String(repeating: "d", count: 58), "fi"]
            .joined(separator: ".")
        let address = "\(local)@\(domain)"
        #expect(address.utf8.count == 254)
        #expect(EmailAddress.validate(address) == nil)
        let longest = UnsubscribeToken(list: list, address: address).encoded(secret: Self.secret)
        #expect(longest.utf8.count == UnsubscribeToken.longestEncodedLength(list: list))
        let short = UnsubscribeToken(list: list, address: "a@b.fi").encoded(secret: Self.secret)
        #expect(short.utf8.count < UnsubscribeToken.longestEncodedLength(list: list))
    }

    @Test func aPreviewSignsNothingAndSaysSo() throws {
        let workspace = try Fixture.workspace()
        let preview = Unsubscribe.preview(settings: workspace.settings.unsubscribe)
        let links = preview.links(for: Subscriber(email: "aino@example.fi", name: "Aino"), list: "members")
        #expect(preview.isPreview)
        #expect(links.url?.contains(Unsubscribe.previewToken) == true)
        #expect(links.mailto?.contains(Unsubscribe.previewToken) == true)
        #expect(throws: (any Error).self) { try preview.verify(Unsubscribe.previewToken) }
    }

    @Test func suppressAppendsOnce() throws {
        let workspace = try Fixture.workspace()
        let date = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(try workspace.suppress("Eero@Example.fi", reason: .unsubscribed, at: date))
        #expect(try !workspace.suppress("eero@example.fi", reason: .unsubscribed, at: date))
        let rows = try workspace.suppressions().rows
        #expect(rows.last == Suppression(email: "eero@example.fi", reason: .unsubscribed, at: Timestamp.iso8601UTC(date)))
        #expect(rows.filter { $0.email == "eero@example.fi" }.count == 1)
        #expect(Timestamp.iso8601UTC(date) == "2026-11-30T00:53:20Z")
    }
}
