import Crypto
import Foundation
import TiedoteCore

/// The signed token in a VERP return path (`bounces+TOKEN@domain`): which send (list and
/// month) a message belonged to and whom it was for, so a bounce names its recipient exactly.
///
/// 16 bytes, lower-case base32 (26 characters: mail systems may fold a local part's case):
/// the month (2 bytes, months since 2000-01), a hash of the list name (4 bytes) and a keyed
/// digest of month, list and address (10 bytes). Only the holder of the secret can make the
/// digest, and only someone who knows the address can tell whom it names.
public struct ReturnPathToken: Sendable, Hashable {
    /// The month of the send.
    public var month: YearMonth
    /// Hash of the list name.
    public var listHash: UInt32
    /// The keyed digest.
    public var digest: [UInt8]

    /// Domain separation from the unsubscribe tokens made with the same secret.
    static let context = "tiedote-return-path-v1\n"
    static let digestLength = 10

    /// An HMAC keyed with `secret` that has taken in the context; copied for each recipient.
    public static func signer(_ secret: Secret) -> HMAC<SHA256> {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.value.utf8)))
        mac.update(data: Data(context.utf8))
        return mac
    }

    /// The token text for `address` on `list` in `month`.
    public static func encode(list: String, month: YearMonth, address: String, signer: HMAC<SHA256>) -> String {
        let index = monthIndex(month)
        var bytes: [UInt8] = [UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]
        let hash = listHash(list)
        bytes += [UInt8(hash >> 24 & 0xFF), UInt8(hash >> 16 & 0xFF), UInt8(hash >> 8 & 0xFF), UInt8(hash & 0xFF)]
        bytes += digest(list: list, month: month, address: address, signer: signer)
        return Base32.encode(bytes)
    }

    /// The keyed digest of one recipient of one send.
    public static func digest(list: String, month: YearMonth, address: String, signer: HMAC<SHA256>) -> [UInt8] {
        var mac = signer
        mac.update(data: Data("\(month)\n\(list)\n\(Subscriber.key(address))".utf8))
        return Array(Data(mac.finalize()).prefix(digestLength))
    }

    /// Reads a token; nil when it is not one (its digest is checked by `names(_:list:signer:)`).
    public init?(_ text: some StringProtocol) {
        guard let bytes = Base32.decode(text), bytes.count == 6 + Self.digestLength else { return nil }
        let index = Int(bytes[0]) << 8 | Int(bytes[1])
        guard let month = YearMonth(year: 2000 + index / 12, month: index % 12 + 1) else { return nil }
        self.month = month
        listHash = bytes[2..<6].reduce(0) { $0 << 8 | UInt32($1) }
        digest = Array(bytes[6...])
    }

    /// True when this token was made for `address` on `list` (digests compared in constant time).
    public func names(_ address: String, list: String, signer: HMAC<SHA256>) -> Bool {
        guard Self.listHash(list) == listHash else { return false }
        let expected = Self.digest(list: list, month: month, address: address, signer: signer)
        return zip(expected, digest).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0 && expected.count == digest.count
    }

    /// FNV-1a, 32 bits, of the list name: enough to tell a workspace's few lists apart.
    public static func listHash(_ list: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in list.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    static func monthIndex(_ month: YearMonth) -> Int { max(0, min(65535, (month.year - 2000) * 12 + month.month - 1)) }
}

/// Lower-case base32 without padding (RFC 4648 §6 alphabet): survives case folding.
public enum Base32 {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// Encodes bytes.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int(buffer >> UInt32(bits - 5) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes text in either case; nil for characters outside the alphabet.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.lowercased().utf8 {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8(buffer >> UInt32(bits - 8) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}

/// The VERP tokens of one send (a list and a month), prepared once: the send makes one per
/// message, so the month and list are taken into the MAC here and only the address is left.
public struct ReturnPathSigner: Sendable {
    /// The MAC with the context, month and list already taken in.
    private let signer: HMAC<SHA256>
    /// The month and list hash: the token's first six bytes.
    private let head: [UInt8]

    /// Prepares the tokens of the `month` issue to `list`, signed with `secret`.
    public init(secret: Secret, list: String, month: YearMonth) {
        var mac = ReturnPathToken.signer(secret)
        mac.update(data: Data("\(month)\n\(list)\n".utf8))
        signer = mac
        let index = ReturnPathToken.monthIndex(month)
        let hash = ReturnPathToken.listHash(list)
        head = [UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF),
                UInt8(hash >> 24 & 0xFF), UInt8(hash >> 16 & 0xFF), UInt8(hash >> 8 & 0xFF), UInt8(hash & 0xFF)]
    }

    /// The token for `key`, a lower-cased address (`MailAddress.key`): the same text as
    /// `ReturnPathToken.encode`.
    public func token(forKey key: String) -> String {
        var mac = signer
        mac.update(data: Array(key.utf8))
        var bytes = head
        bytes.reserveCapacity(6 + ReturnPathToken.digestLength)
        bytes.append(contentsOf: mac.finalize().prefix(ReturnPathToken.digestLength))
        return Base32.encode(bytes)
    }
}
