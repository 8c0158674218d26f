import TiedoteCore
import Crypto

/// The addresses that are never mailed (`Lists/suppressed.csv`), looked up by address.
///
/// Forgotten addresses are stored only as `sha256:SALT:HEX` with a random salt per row, so a
/// lookup hashes the asked address once per forgotten row (rows that share a salt, once for
/// them all); a list has few of those.
public struct SuppressionSet: Sendable {
    /// The forgotten rows that share one salt, by their digests.
    struct Salted: Sendable {
        /// `SALT:`, the bytes hashed before the address.
        var prefix: [UInt8]
        var rows: [[UInt8]: Suppression] = [:]
    }

    /// Every row, in file order.
    public private(set) var rows: [Suppression] = []
    private var byAddress: [String: Suppression] = [:]
    private var salted: [Salted] = []
    private var saltIndex: [[UInt8]: Int] = [:]

    /// Creates a set from rows.
    public init(_ rows: [Suppression] = []) {
        rows.forEach { insert($0) }
    }

    /// Adds a row (the first row for an address wins: it says when suppression began).
    public mutating func insert(_ row: Suppression) {
        rows.append(row)
        if let parts = Self.hashParts(row.email) {
            let prefix = Array("\(parts.salt):".utf8)
            let digest = Self.bytes(hex: parts.hex)
            if let index = saltIndex[prefix] {
                if salted[index].rows[digest] == nil { salted[index].rows[digest] = row }
            } else {
                saltIndex[prefix] = salted.count
                salted.append(Salted(prefix: prefix, rows: [digest: row]))
            }
        } else {
            let key = Self.key(row.email)
            if byAddress[key] == nil { byAddress[key] = row }
        }
    }

    /// Number of rows.
    public var count: Int { rows.count }

    /// The row that suppresses `address`, or nil when it may be mailed.
    public func suppression(for address: String) -> Suppression? {
        let key = Self.key(address)
        if let row = byAddress[key] { return row }
        for group in salted {
            var hasher = SHA256()
            hasher.update(data: group.prefix)
            hasher.update(data: Array(key.utf8))
            if let row = group.rows[Array(hasher.finalize())] { return row }
        }
        return nil
    }

    /// True when `address` must never be mailed.
    public func contains(_ address: String) -> Bool {
        suppression(for: address) != nil
    }

    /// `sha256:SALT:HEX` of `address` (lower-cased) with `salt`.
    public static func hash(_ address: String, salt: String) -> String {
        "sha256:\(salt):\(digest(key(address), salt: salt))"
    }

    /// `sha256:SALT:HEX` of `address` with a fresh random 16-byte salt.
    public static func hashWithNewSalt(_ address: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return hash(address, salt: hex(salt))
    }

    /// The form an address is compared and hashed in: lower-cased, and a non-ASCII domain in
    /// its ASCII form, so `x@kylä.fi` and `x@xn--kyl-sla.fi` are the same address.
    public static func key(_ address: String) -> String {
        let plain = Subscriber.key(address)
        guard plain.utf8.contains(where: { $0 >= 0x80 }), case .success(let ascii) = EmailAddress.normalized(plain)
        else { return plain }
        return ascii.lowercased()
    }

    /// True when `text` has the form of a forgotten row's hash.
    public static func isHash(_ text: String) -> Bool { ErasedAddress.isErased(text) }

    static func hashParts(_ text: String) -> (salt: String, hex: String)? { ErasedAddress.parts(text) }

    static func digest(_ key: String, salt: String) -> String {
        hex(Array(SHA256.hash(data: Array("\(salt):\(key)".utf8))))
    }

    /// The bytes of lower-case hex digits (checked by `hashParts`).
    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        func value(_ digit: UInt8) -> UInt8 { digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: digits.count - 1, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
