/// Quoted-printable body encoding (RFC 2045 §6.7) with CRLF line ends.
///
/// Lines are at most 76 characters including the soft-break `=`; the `=XX` triplets of one
/// UTF-8 character are never split across a soft break, so clients that decode line by line
/// still see whole characters. Trailing spaces and tabs before a line end are encoded.
enum QuotedPrintable {
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// An upper bound on the encoded size of `count` input bytes.
    static func maxEncodedCount(_ count: Int) -> Int {
        3 * count + (3 * count) / 24 + 8
    }

    /// Encodes `text` into `out`, which must have room for `maxEncodedCount` bytes; returns how
    /// many bytes were written.
    static func encode(_ text: String, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var text = text
        // Native strings are contiguous; this only copies bridged or lazily built ones.
        return text.withUTF8 { encode($0, into: out) }
    }

    /// Encodes UTF-8 bytes.
    static func encode(_ src: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let cr: UInt8 = 13, lf: UInt8 = 10, equals: UInt8 = 61
        let n = src.count
        var o = 0
        var line = 0
        var i = 0
        @inline(__always) func triplet(_ byte: UInt8) {
            out[o] = equals
            out[o + 1] = hexDigits[Int(byte >> 4)]
            out[o + 2] = hexDigits[Int(byte & 0x0F)]
            o += 3
        }
        @inline(__always) func lineBreakAt(_ j: Int) -> Bool {
            j >= n || src[j] == lf || (src[j] == cr && j + 1 < n && src[j + 1] == lf)
        }
        while i < n {
            let byte = src[i]
            if byte == lf || (byte == cr && i + 1 < n && src[i + 1] == lf) {
                out[o] = cr
                out[o + 1] = lf
                o += 2
                line = 0
                i += byte == lf ? 1 : 2
                continue
            }
            if byte >= 0x80 {
                var length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if i + length > n { length = n - i }
                if line + 3 * length > 75 {
                    out[o] = equals
                    out[o + 1] = cr
                    out[o + 2] = lf
                    o += 3
                    line = 0
                }
                for k in 0..<length { triplet(src[i + k]) }
                line += 3 * length
                i += length
                continue
            }
            let literal: Bool
            if byte == 32 || byte == 9 {
                literal = !lineBreakAt(i + 1)
            } else {
                literal = byte > 32 && byte < 127 && byte != equals
            }
            let width = literal ? 1 : 3
            if line + width > 75 {
                out[o] = equals
                out[o + 1] = cr
                out[o + 2] = lf
                o += 3
                line = 0
            }
            if literal {
                out[o] = byte
                o += 1
            } else {
                triplet(byte)
            }
            line += width
            i += 1
        }
        return o
    }

    /// Encodes `text` into a new array (tests and small parts).
    static func encode(_ text: String) -> [UInt8] {
        let capacity = maxEncodedCount(text.utf8.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            count = encode(text, into: base)
        }
    }
}
