/// Bytes to text in the charsets mail still arrives in; invalid bytes never stop the reading.
enum Charset {
    /// `bytes` as text in `charset` (UTF-8, with U+FFFD for invalid sequences, when the charset
    /// is missing or unknown).
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        switch charset?.lowercased() {
        case "iso-8859-1", "iso8859-1", "latin1", "iso-8859-15", "iso8859-15", "latin-1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "windows-1252", "cp1252":
            return String(String.UnicodeScalarView(bytes.map(windows1252)))
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// One Windows-1252 byte: Latin-1 but for 0x80–0x9F.
    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard byte >= 0x80, byte <= 0x9F else { return Unicode.Scalar(byte) }
        let value = high[Int(byte - 0x80)]
        return Unicode.Scalar(value) ?? Unicode.Scalar(byte)
    }

    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
