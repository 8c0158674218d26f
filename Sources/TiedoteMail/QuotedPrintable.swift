/// Quoted-printable body encoding (RFC 2045 §6.7) with CRLF line ends.
///
/// Lines are at most 76 characters including the soft-break `=`; the `=XX` triplets of one
/// UTF-8 character are never split across a soft break, so clients that decode line by line
/// still see whole characters. Trailing spaces and tabs before a line end are encoded.
enum QuotedPrintable {
    /// One hex digit, upper case (computed: no array lookup in hot loops).
    @inline(__always) static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 55
    }

    /// An upper bound on the encoded size of `count` input bytes: at most 3 bytes each, and
    /// a line of 76 holds whole triplets of at least 22 input bytes (one 4-byte character and
    /// 18 escaped bytes) per 3-byte soft break, so 4 per byte always suffices.
    static func maxEncodedCount(_ count: Int) -> Int {
        4 * count + 8
    }

    /// Encodes `text` into `out`, which must have room for `maxEncodedCount` bytes; returns how
    /// many bytes were written.
    // Unsafe: bench "Render + MIME, sample issue" costs 16% more (184,700 → 214,000 instructions per message, callgrind) with Array indexing and appends (BENCHMARKS.md, "What changed").
    static func encode(_ text: String, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var text = text
        // Native strings are contiguous; this only copies bridged or lazily built ones.
        return text.withUTF8 { encode($0, into: out) }
    }

    /// Byte classes for the encoder: which bytes go out as they are, which need a look at the
    /// line end, which are encoded.
    enum ByteClass {
        // Ordered so that `< cr` means "not the start of a line break".
        static let literal: UInt8 = 0, blank: UInt8 = 1, encoded: UInt8 = 2, high: UInt8 = 3, cr: UInt8 = 4, lf: UInt8 = 5
    }

    /// The class of every byte value (one table lookup per input byte in the hot loop).
    static let byteClasses: [UInt8] = (0...255).map { byte -> UInt8 in
        switch byte {
        case 9, 32: ByteClass.blank
        case 10: ByteClass.lf
        case 13: ByteClass.cr
        case 61: ByteClass.encoded
        case 33...126: ByteClass.literal
        case 128...255: ByteClass.high
        default: ByteClass.encoded
        }
    }

    /// Encodes UTF-8 bytes.
    // Unsafe: bench "Render + MIME, sample issue" costs 16% more (184,700 → 214,000 instructions per message, callgrind) with Array indexing and appends (BENCHMARKS.md, "What changed").
    static func encode(_ src: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        byteClasses.withUnsafeBufferPointer { classes in
            guard let s = src.baseAddress, let table = classes.baseAddress else { return 0 }
            return encode(s, count: src.count, classes: table, into: out)
        }
    }

    // The hot loop of every send: bytes are read and written through raw pointers, a run of
    // literal bytes is copied without per-byte branching on line breaks, and hex digits are
    // computed rather than looked up in an array.
    // Unsafe: bench "Render + MIME, sample issue" costs 16% more (184,700 → 214,000 instructions per message, callgrind) with Array indexing and appends (BENCHMARKS.md, "What changed").
    private static func encode(
        _ s: UnsafePointer<UInt8>, count n: Int, classes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let cr: UInt8 = 13, lf: UInt8 = 10, equals: UInt8 = 61
        var o = 0
        var line = 0
        var i = 0
        @inline(__always) func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 55 + nibble }
        @inline(__always) func triplet(_ byte: UInt8) {
            out[o] = equals
            out[o + 1] = hex(byte >> 4)
            out[o + 2] = hex(byte & 0x0F)
            o += 3
        }
        @inline(__always) func softBreak() {
            out[o] = equals
            out[o + 1] = cr
            out[o + 2] = lf
            o += 3
            line = 0
        }
        @inline(__always) func lineBreakAt(_ j: Int) -> Bool {
            j >= n || s[j] == lf || (s[j] == cr && j + 1 < n && s[j + 1] == lf)
        }
        while i < n {
            let byte = s[i]
            let kind = classes[Int(byte)]
            if kind <= ByteClass.blank {
                // A run of bytes that stand for themselves (a blank only when no line break
                // follows it), up to the end of the line's room.
                if line >= 75 { softBreak() }
                let limit = min(75 - line, n - i)
                let from = s + i, to = out + o
                var k = 0
                while k < limit {
                    let next = from[k]
                    let nextKind = classes[Int(next)]
                    guard nextKind == ByteClass.literal
                        || (nextKind == ByteClass.blank && k &+ 1 < n &- i && classes[Int(from[k &+ 1])] < ByteClass.cr)
                    else { break }
                    to[k] = next
                    k &+= 1
                }
                if k > 0 {
                    o += k
                    line += k
                    i += k
                    continue
                }
            }
            if kind == ByteClass.lf || (kind == ByteClass.cr && i + 1 < n && s[i + 1] == lf) {
                out[o] = cr
                out[o + 1] = lf
                o += 2
                line = 0
                i += kind == ByteClass.lf ? 1 : 2
                continue
            }
            if kind == ByteClass.high {
                var length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if i + length > n { length = n - i }
                if line + 3 * length > 75 { softBreak() }
                for k in 0..<length { triplet(s[i + k]) }
                line += 3 * length
                i += length
                continue
            }
            let literal = kind == ByteClass.blank && !lineBreakAt(i + 1)
            let width = literal ? 1 : 3
            if line + width > 75 { softBreak() }
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

    /// Encodes `body` into `out`, which must have room for `body.maxEncodedCount` bytes;
    /// returns how many bytes were written: the same bytes as encoding `body.string`.
    ///
    /// Text that must be encoded here (own runs, and the first and last lines of shared runs)
    /// is gathered into one stretch, which is encoded whenever it ends a line and a shared run's
    /// encoded lines follow; a stretch that starts at column 0 and ends after a line break
    /// encodes as it does inside the whole text.
    // Unsafe: bench "Render + MIME, sample issue" costs 16% more (184,700 → 214,000 instructions per message, callgrind) with Array indexing and appends (BENCHMARKS.md, "What changed").
    static func encode(_ body: BodyText, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if body.runs.count == 1, case .text(let text) = body.runs[0] { return encode(text, into: out) }
        let newline = UInt8(ascii: "\n")
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(body.unsharedCount, 1)) { stretch in
            guard let base = stretch.baseAddress else { return 0 }
            var o = 0
            var held = 0
            func hold(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let start = bytes.baseAddress else { return }
                (base + held).update(from: start, count: bytes.count)
                held += bytes.count
            }
            func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let start = bytes.baseAddress else { return }
                (out + o).update(from: start, count: bytes.count)
                o += bytes.count
            }
            func flush() {
                o += encode(UnsafeBufferPointer(start: base, count: held), into: out + o)
                held = 0
            }
            for run in body.runs {
                switch run {
                case .text(let text):
                    text.withBytes(hold)
                case .shared(let shared):
                    shared.text.withBytes { bytes in
                        guard shared.hasLineBreak else { return hold(bytes) }
                        shared.encoded.withUnsafeBufferPointer { encoded in
                            if held == 0 || base[held - 1] == newline {
                                // The run starts a line: its first line as encoded too.
                                flush()
                                copy(encoded)
                            } else {
                                hold(UnsafeBufferPointer(rebasing: bytes[..<shared.firstLineEnd]))
                                flush()
                                copy(UnsafeBufferPointer(rebasing: encoded[shared.encodedFirstLineEnd...]))
                            }
                        }
                        hold(UnsafeBufferPointer(rebasing: bytes[shared.lastLineStart...]))
                    }
                }
            }
            flush()
            return o
        }
    }

    /// Encodes `text` into a new array (tests and small parts).
    static func encode(_ text: String) -> [UInt8] {
        encode(BodyText(text))
    }

    /// Encodes `body` into a new array (tests and small parts).
    static func encode(_ body: BodyText) -> [UInt8] {
        // Unsafe: the encoder writes into raw room (see above); tests and small parts only.
        [UInt8](unsafeUninitializedCapacity: body.maxEncodedCount) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            count = encode(body, into: base)
        }
    }
}
