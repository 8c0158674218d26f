import Crypto
import Foundation
import TiedoteCore

/// A signed double opt-in token: everything the subscription form asked, and when the offer
/// ends. Nothing about a person is stored before they confirm: the token *is* the pending
/// subscription, and only the holder of the workspace secret can make one.
///
/// Form: `base64url(payload) "." base64url(HMAC-SHA256(secret, context + payload))`, where the
/// payload is `list`, `email`, `name`, `municipality`, `interests` (`;`-separated) and the
/// expiry in Unix seconds, one per line. The context differs from the unsubscribe token's, so
/// neither kind is ever accepted as the other.
public struct SubscriptionToken: Sendable, Hashable {
    /// The list to join.
    public var list: String
    /// The address, as given.
    public var email: String
    /// The name, may be empty.
    public var name: String
    /// The home municipality, when chosen.
    public var municipality: Municipality?
    /// The chosen interests.
    public var interests: [String]
    /// When the token stops being accepted (Unix seconds).
    public var expires: Int

    /// How long a confirmation link is good for: 7 days.
    public static let lifetime = 7 * 24 * 3600

    /// Creates a token's contents.
    public init(list: String, email: String, name: String, municipality: Municipality?, interests: [String], expires: Int) {
        self.list = list
        self.email = email
        self.name = name
        self.municipality = municipality
        self.interests = interests
        self.expires = expires
    }

    /// Why a token was refused.
    public enum Refusal: Error, Sendable, Hashable {
        /// Not a token of this kind (truncated, altered encoding, wrong field count).
        case malformed
        /// The MAC does not match: forged, altered, or signed with another secret.
        case badSignature
        /// Signed by us, but its time is up.
        case expired
    }

    static let context = "tiedote-subscribe-v1\n"

    /// The token text, signed with `secret`.
    public func encoded(secret: Secret) -> String {
        let fields = [list, email, name, municipality?.rawValue ?? "", interests.joined(separator: ";"), String(expires)]
        let payload = Data(fields.joined(separator: "\n").utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(Self.context.utf8) + payload, using: UnsubscribeToken.key(secret))
        return "\(Base64URL.encode(payload)).\(Base64URL.encode(Data(mac)))"
    }

    /// The token's contents when its signature verifies under `secret` (in constant time) and
    /// it has not expired at `now`; throws `Refusal` otherwise.
    public static func verify(_ token: String, secret: Secret, now: Int) throws -> SubscriptionToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1]),
            mac.count == SHA256.byteCount
        else { throw Refusal.malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(context.utf8) + payload,
            using: UnsubscribeToken.key(secret))
        else { throw Refusal.badSignature }
        guard let text = String(data: payload, encoding: .utf8) else { throw Refusal.malformed }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, !fields[0].isEmpty, !fields[1].isEmpty, let expires = Int(fields[5]) else {
            throw Refusal.malformed
        }
        let municipality = fields[3].isEmpty ? nil : Municipality(name: fields[3])
        guard fields[3].isEmpty || municipality != nil else { throw Refusal.malformed }
        guard now < expires else { throw Refusal.expired }
        return SubscriptionToken(
            list: fields[0], email: fields[1], name: fields[2], municipality: municipality,
            interests: fields[4].split(separator: ";").map(String.init), expires: expires)
    }

    /// The list row this token becomes once confirmed at `date` (`consent_source=web`).
    public func subscriber(confirmedAt date: Date) -> Subscriber {
        Subscriber(
            email: email, name: name, municipality: municipality, interests: interests, language: "fi",
            consentSource: "web", consentedAt: Timestamp.iso8601UTC(date))
    }
}
