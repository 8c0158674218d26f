import Crypto

/// The addresses that are never mailed (`Lists/suppressed.csv`), looked up by address.
///
/// Forgotten addresses are stored only as `sha256:SALT:HEX` with a random salt per row, so a
/// lookup hashes the asked address once per forgotten row; there are few of those.
public struct SuppressionSet: Sendable {
    /// A forgotten row split into its salt and digest.
    struct Hashed: Sendable {
        var salt: String
        var hex: String
        var row: Suppression
    }

    /// Every row, in file order.
    public private(set) var rows: [Suppression] = []
    private var byAddress: [String: Suppression] = [:]
    private var hashed: [Hashed] = []

    /// Creates a set from rows.
    public init(_ rows: [Suppression] = []) {
        rows.forEach { insert($0) }
    }

    /// Adds a row (the first row for an address wins: it says when suppression began).
    public mutating func insert(_ row: Suppression) {
        rows.append(row)
        if let parts = Self.hashParts(row.email) {
            hashed.append(Hashed(salt: parts.salt, hex: parts.hex, row: row))
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
        return hashed.first { Self.digest(key, salt: $0.salt) == $0.hex }?.row
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
    public static func isHash(_ text: String) -> Bool { hashParts(text) != nil }

    static func hashParts(_ text: String) -> (salt: String, hex: String)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sha256", !parts[1].isEmpty, parts[2].count == 64,
            parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        return (String(parts[1]), parts[2].lowercased())
    }

    static func digest(_ key: String, salt: String) -> String {
        hex(Array(SHA256.hash(data: Array("\(salt):\(key)".utf8))))
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
