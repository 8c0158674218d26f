import TiedoteCore
import Foundation

extension CSV {
    /// How a file's bytes were turned into text.
    public enum Encoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// UTF-8 without a byte order mark (Google Sheets, LibreOffice).
        case utf8 = "UTF-8"
        /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
        case utf8WithBOM = "UTF-8 with BOM"
        /// UTF-16 little-endian with a byte order mark (Excel's "Unicode text").
        case utf16LE = "UTF-16LE"
        /// Windows-1252 (Excel's plain "CSV" on a Finnish Windows).
        case windows1252 = "Windows-1252"

        /// The name, for messages.
        public var description: String { rawValue }
    }

    /// Decodes a spreadsheet's bytes: UTF-8 with or without BOM, UTF-16LE with BOM, and
    /// anything that is not valid UTF-8 as Windows-1252 (which every byte sequence is).
    public static func decode(_ data: Data) -> (text: String, encoding: Encoding) {
        // The bytes are read where they are: a 100,000-row list is not copied first.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: data.dropFirst(3), as: UTF8.self), .utf8WithBOM)
        }
        if data.starts(with: [0xFF, 0xFE]) {
            var units: [UInt16] = []
            units.reserveCapacity(data.count / 2)
            var index = data.startIndex + 2
            while index + 1 < data.endIndex {
                units.append(UInt16(data[index]) | UInt16(data[index + 1]) << 8)
                index += 2
            }
            return (String(decoding: units, as: UTF16.self), .utf16LE)
        }
        if let text = String(validating: data, as: UTF8.self) {
            return (text, .utf8)
        }
        return (Windows1252.decode([UInt8](data)), .windows1252)
    }
}

/// The Windows-1252 code page, decoded by table so the result never depends on the
/// platform's converters.
public enum Windows1252 {
    /// 0x80–0x9F, where Windows-1252 differs from ISO 8859-1. The five undefined bytes map to
    /// the C1 control of the same value, as browsers do.
    static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The text of Windows-1252 `bytes`.
    public static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// The Windows-1252 bytes of `text`, or nil when a character has no byte there.
    public static func encode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if let index = high.firstIndex(of: value) {
                bytes.append(UInt8(0x80 + index))
            } else if value < 0x80 || (0xA0...0xFF).contains(value) {
                bytes.append(UInt8(value))
            } else {
                return nil
            }
        }
        return bytes
    }
}

extension CSV {
    /// A byte that is not UTF-8, and where it is.
    public struct StrayByte: Sendable, Hashable {
        /// 1-based line.
        public var line: Int
        /// 1-based column, counting characters as the CSV parser does.
        public var column: Int
        /// The byte.
        public var byte: UInt8
    }

    /// The bytes of `data` that are not UTF-8, and how many well-formed multi-byte UTF-8
    /// characters it has: a file with both is UTF-8 with a few stray bytes, not Windows-1252.
    /// A UTF-8 byte order mark is skipped.
    public static func utf8Survey(_ data: Data) -> (stray: [StrayByte], multiByte: Int) {
        let bytes = [UInt8](data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...])
        var stray: [StrayByte] = []
        var multiByte = 0
        var line = 1
        var column = 1
        var previousWasCR = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == .lineFeed {
                    if !previousWasCR { line += 1 }
                    column = 1
                } else if byte == .carriageReturn {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                previousWasCR = byte == .carriageReturn
                index += 1
                continue
            }
            previousWasCR = false
            // The same strict check the list reader uses, one character at a time.
            var check = UTF8Check()
            var end = index
            do {
                repeat {
                    try check.check(bytes[end], line: line, column: column)
                    end += 1
                } while check.isInsideCharacter && end < bytes.count
                try check.finish()
                multiByte += 1
                index = end
            } catch {
                stray.append(StrayByte(line: line, column: column, byte: byte))
                index += 1
            }
            column += 1
        }
        return (stray, multiByte)
    }
}
