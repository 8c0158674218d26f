/// The fields of an `application/x-www-form-urlencoded` body or a query string, in order,
/// with repeated names kept (the interests checkboxes).
public struct FormFields: Sendable, Hashable {
    /// The names, in order.
    public private(set) var names: [String] = []
    /// The values, index for index.
    public private(set) var values: [String] = []

    /// No fields.
    public init() {}

    /// Why a body was refused.
    public enum Problem: Error, Sendable, Hashable {
        /// Broken percent-encoding or bytes that are not UTF-8.
        case undecodable
        /// CR, LF or NUL in a name or value: never wanted in any field, and the way into headers.
        case controlCharacter
        /// More fields than any form of ours has.
        case tooManyFields
    }

    /// At most this many fields (the form has about thirty at most).
    public static let maximumFields = 64

    /// Parses `text`; throws `Problem`.
    public init(parsing text: String) throws {
        guard !text.isEmpty else { return }
        let parts = text.split(separator: "&", omittingEmptySubsequences: true)
        guard parts.count <= Self.maximumFields else { throw Problem.tooManyFields }
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(pair[0])
            let value = pair.count > 1 ? try Self.decode(pair[1]) : ""
            names.append(name)
            values.append(value)
        }
    }

    /// The first value of `name`, nil when absent.
    public subscript(name: String) -> String? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        zip(names, values).filter { $0.0 == name }.map(\.1)
    }

    /// `+` is a space; `%XX` a byte; the bytes must be UTF-8 without CR, LF or NUL.
    static func decode(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw Problem.undecodable
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        if bytes.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) { throw Problem.controlCharacter }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw Problem.undecodable }
        return string
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
