import Crypto
import Foundation
import TiedoteCore

/// A signed unsubscribe token: the list and the address, and an HMAC-SHA256 over both.
///
/// Form: `base64url(list "\n" address) "." base64url(mac)`, URL-safe without padding, so the
/// token alone says whom to unsubscribe from which list, and only the holder of the secret
/// can make one.
public struct UnsubscribeToken: Sendable, Hashable {
    /// The list name.
    public var list: String
    /// The address, lower-cased.
    public var address: String

    /// Creates a token's contents.
    public init(list: String, address: String) {
        self.list = list
        self.address = Subscriber.key(address)
    }

    /// Why a token was refused.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not two base64url parts, or the payload is not `list\naddress`.
        case malformed
        /// The MAC does not match: forged, altered, or signed with another secret.
        case badSignature

        /// For messages.
        public var description: String {
            switch self {
            case .malformed: "the token is not a Tiedote unsubscribe token (copy the whole link)"
            case .badSignature: "the token's signature does not match: it was altered, or made with another secret"
            }
        }
    }

    /// The longest token any recipient of list `list` can have: the payload holds the list
    /// name, a newline and an address of up to 254 bytes; the MAC is 32 bytes. Base64url
    /// without padding takes ⌈4n/3⌉ characters for n bytes.
    public static func longestEncodedLength(list: String) -> Int {
        func base64(_ bytes: Int) -> Int { (4 * bytes + 2) / 3 }
        return base64(list.utf8.count + 1 + 254) + 1 + base64(32)
    }

    /// Domain separation, so a MAC made here is never valid for anything else keyed the same.
    static let context = "tiedote-unsubscribe-v1\n"

    /// The token text, signed with `secret`.
    public func encoded(secret: Secret) -> String {
        encoded(signer: Self.signer(secret))
    }

    /// The token text, signed with a `signer(_:)`: a send keys it once, not per recipient.
    func encoded(signer: HMAC<SHA256>) -> String {
        let payload = Data("\(list)\n\(address)".utf8)
        var mac = signer
        mac.update(data: payload)
        return "\(Base64URL.encode(payload)).\(Base64URL.encode(Data(mac.finalize())))"
    }

    /// An HMAC keyed with `secret` that has taken in the context: what every token's MAC starts
    /// from (the MAC of `message(payload)`).
    static func signer(_ secret: Secret) -> HMAC<SHA256> {
        var mac = HMAC<SHA256>(key: key(secret))
        mac.update(data: Data(context.utf8))
        return mac
    }

    /// The token's contents when its signature verifies under `secret` (compared in constant
    /// time); throws `Refusal` otherwise.
    public static func verify(_ token: String, secret: Secret) throws -> UnsubscribeToken {
        let parts = token.trimmingSpaces.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1])
        else { throw Refusal.malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message(payload), using: key(secret))
        else { throw Refusal.badSignature }
        guard let text = String(data: payload, encoding: .utf8) else { throw Refusal.malformed }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else { throw Refusal.malformed }
        return UnsubscribeToken(list: String(fields[0]), address: String(fields[1]))
    }

    static func key(_ secret: Secret) -> SymmetricKey { SymmetricKey(data: Data(secret.value.utf8)) }

    static func message(_ payload: Data) -> Data { Data(context.utf8) + payload }
}

/// Base64 with `-` and `_` and no padding (RFC 4648 §5): safe in URLs and file names.
public enum Base64URL {
    /// Encodes bytes.
    public static func encode(_ data: Data) -> String {
        // Straight from the bytes: this runs twice for every recipient of a send.
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            // Three bytes make four characters; one or two make two or three.
            for shift in stride(from: 18, through: 18 - 6 * count, by: -6) {
                out.append(alphabet[Int(group >> UInt32(shift) & 63)])
            }
            index += count
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 64 characters, in value order.
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Decodes text; nil when it holds characters outside the alphabet or is not the one
    /// canonical encoding of its bytes (the last character's unused bits must be zero, so no
    /// two tokens decode alike).
    public static func decode(_ text: some StringProtocol) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), encode(data) == text else { return nil }
        return data
    }
}
