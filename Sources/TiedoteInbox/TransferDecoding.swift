import TiedoteCore

/// Undoing `Content-Transfer-Encoding` and the encodings of RFC 2047 words, leniently: a
/// damaged sequence is kept as it stands rather than dropped or fatal.
enum TransferDecoding {
    /// Decodes `bytes` as the transfer encoding `name` says (identity for 7bit, 8bit, binary
    /// and anything unknown).
    static func decode(_ bytes: ArraySlice<UInt8>, encoding name: String?) -> [UInt8] {
        switch name?.trimmingSpaces.lowercased() {
        case "base64": return base64(bytes)
        case "quoted-printable": return quotedPrintable(bytes, underscoreIsSpace: false)
        default: return Array(bytes)
        }
    }

    /// Base64, skipping anything outside the alphabet (line ends, stray spaces) and stopping at `=`.
    static func base64(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var group: UInt32 = 0
        var count = 0
        for byte in bytes {
            guard let value = base64Value(byte) else {
                if byte == UInt8(ascii: "=") { break }
                continue
            }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(group >> 16 & 0xFF))
                out.append(UInt8(group >> 8 & 0xFF))
                out.append(UInt8(group & 0xFF))
                group = 0
                count = 0
            }
        }
        if count == 2 { out.append(UInt8(group >> 4 & 0xFF)) }
        if count == 3 {
            out.append(UInt8(group >> 10 & 0xFF))
            out.append(UInt8(group >> 2 & 0xFF))
        }
        return out
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX`, soft line breaks; in an encoded word (RFC 2047
    /// "Q") `_` is a space.
    static func quotedPrintable(_ bytes: some Collection<UInt8>, underscoreIsSpace: Bool) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "_") && underscoreIsSpace {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "=") {
                // A soft line break: `=` then optional spaces then a line end.
                var next = index + 1
                while next < input.count, input[next] == UInt8(ascii: " ") || input[next] == UInt8(ascii: "\t") { next += 1 }
                if next < input.count, input[next] == UInt8(ascii: "\r") || input[next] == UInt8(ascii: "\n") {
                    if input[next] == UInt8(ascii: "\r"), next + 1 < input.count, input[next + 1] == UInt8(ascii: "\n") { next += 1 }
                    index = next + 1
                    continue
                }
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                out.append(byte)
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

