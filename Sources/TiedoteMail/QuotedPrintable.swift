/// Quoted-printable body encoding (RFC 2045 §6.7) with CRLF line ends.
///
/// Lines are at most 76 characters including the soft-break `=`; the `=XX` triplets of one
/// UTF-8 character are never split across a soft break, so clients that decode line by line
/// still see whole characters. Trailing spaces and tabs before a line end are encoded.
enum QuotedPrintable {
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

    /// One hex digit, upper case.
    @inline(__always) static func hex(_ value: UInt8) -> UInt8 {
        value < 10 ? value &+ 48 : value &+ 55
    }

    /// A mask with the high bit set in the bytes of `word` that need encoding: control
    /// characters (line ends included), `=`, DEL and everything above ASCII (the SWAR "has less
    /// than" and "has zero byte" tests). Bits may also be set above (after) a byte that needs
    /// encoding, never below it, so the lowest set bit marks the first such byte exactly.
    @inline(__always) static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below32 = (word &- ones &* 0x20) & ~word & highs
        let equals = word ^ (ones &* 0x3D)
        let hasEquals = (equals &- ones) & ~equals & highs
        let delete = word ^ (ones &* 0x7F)
        let hasDelete = (delete &- ones) & ~delete & highs
        return (word & highs) | below32 | hasEquals | hasDelete
    }

    /// Encodes UTF-8 bytes.
    ///
    /// Eight plain bytes are checked and copied at a time: newsletter HTML is mostly ASCII,
    /// and this is what lets MIME keep up with rendering.
    static func encode(_ src: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let base = src.baseAddress else { return 0 }
        let cr: UInt8 = 13, lf: UInt8 = 10, equals: UInt8 = 61
        let n = src.count
        let raw = UnsafeRawPointer(base)
        let rawOut = UnsafeMutableRawPointer(out)
        var o = 0
        var line = 0
        var i = 0
        @inline(__always) func softBreak() {
            out[o] = equals
            out[o + 1] = cr
            out[o + 2] = lf
            o += 3
            line = 0
        }
        // A space or tab stays literal unless a line end (or the end) follows it.
        @inline(__always) func isLiteralSpace(_ j: Int) -> Bool {
            j + 1 < n && base[j + 1] != lf && base[j + 1] != cr
        }
        while i < n {
            if i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let special = specialBytes(word)
                // Plain bytes before the first special one (all 8 when there is none), less a
                // space or tab that a line end follows.
                var plain = special == 0 ? 8 : special.trailingZeroBitCount / 8
                if plain > 0 {
                    let last = base[i + plain - 1]
                    if (last == 32 || last == 9) && !isLiteralSpace(i + plain - 1) { plain -= 1 }
                }
                if plain > 0 {
                    if line >= 75 { softBreak() }
                    let take = min(plain, 75 - line)
                    if take == 8 {
                        rawOut.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                    } else {
                        (out + o).update(from: base + i, count: take)
                    }
                    o += take
                    i += take
                    line += take
                    // A full word, or a line that filled up: look at the next word.
                    if take == 8 || take < plain { continue }
                }
            }
            let byte = base[i]
            if (byte >= 33 && byte <= 126 && byte != equals) || ((byte == 32 || byte == 9) && isLiteralSpace(i)) {
                if line >= 75 { softBreak() }
                out[o] = byte
                o += 1
                line += 1
                i += 1
                continue
            }
            if byte == lf || (byte == cr && i + 1 < n && base[i + 1] == lf) {
                out[o] = cr
                out[o + 1] = lf
                o += 2
                line = 0
                i += byte == lf ? 1 : 2
                continue
            }
            // Anything else is encoded; the triplets of one UTF-8 character stay on one line.
            var length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if i + length > n { length = n - i }
            if line + 3 * length > 75 { softBreak() }
            for k in i..<(i + length) {
                let encoded = base[k]
                out[o] = equals
                out[o + 1] = hex(encoded >> 4)
                out[o + 2] = hex(encoded & 0x0F)
                o += 3
            }
            line += 3 * length
            i += length
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
