extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, newlines).
    public var trimmingSpaces: String {
        // Most values start and end with printable ASCII, which is never white space: there is
        // nothing to trim, and the ends tell it without decoding a character.
        let plainEnds = utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
        }
        if plainEnds == true { return String(self) }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }),
            let last = scalars.lastIndex(where: { !$0.isSpace })
        else { return "" }
        // Nothing to trim (most text, e.g. every recipient's name on a send): no new string.
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return String(self) }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    /// White space (`properties.isWhitespace`), told without a property lookup for ASCII.
    fileprivate var isSpace: Bool {
        isASCII ? UInt8(value).isASCIISpace : properties.isWhitespace
    }
}

extension UInt8 {
    /// The ASCII white space: tab, line feed, vertical tab, form feed, carriage return, space.
    package var isASCIISpace: Bool { self == UInt8(ascii: " ") || (0x09...0x0D).contains(self) }
}
