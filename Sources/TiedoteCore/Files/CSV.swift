/// RFC 4180 comma-separated values, as spreadsheets write them: quoted fields may hold the
/// separator, doubled quotes and line breaks; records end with CRLF, LF or a lone CR.
public enum CSV {
    /// The character between fields.
    public enum Separator: Character, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// `,` — Google Sheets, LibreOffice, English Excel.
        case comma = ","
        /// `;` — Finnish (and most European) Excel, where the comma is the decimal mark.
        case semicolon = ";"
        /// Tab — Excel's "Unicode text".
        case tab = "\t"

        /// `','`, `';'` or `tab`, for messages.
        public var description: String {
            self == .tab ? "tab" : "'\(rawValue)'"
        }

        package var scalar: Unicode.Scalar { Unicode.Scalar(byte) }

        package var byte: UInt8 {
            switch self {
            case .comma: UInt8(ascii: ",")
            case .semicolon: UInt8(ascii: ";")
            case .tab: UInt8(ascii: "\t")
            }
        }
    }

}
