extension StringProtocol {
    /// True when the text holds a line break or another control character (CR, LF, NUL,
    /// tab, U+2028…): never allowed in a value that can reach a mail header.
    public var containsControlCharacters: Bool {
        unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}"
        }
    }
}
