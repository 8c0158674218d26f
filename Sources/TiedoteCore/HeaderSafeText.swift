extension StringProtocol {
    /// True when the text holds a line break or another control character (CR, LF, NUL,
    /// tab, U+2028…): never allowed in a value that can reach a mail header.
    public var containsControlCharacters: Bool {
        // The control characters (general category Cc) are a fixed set, U+0000–U+001F and
        // U+007F–U+009F (which holds U+0085), so no character's properties need looking up.
        unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
    }
}
