/// Cutting a multipart body at its boundary delimiters (RFC 2046 §5.1.1).
enum Multipart {
    /// The bodies between `--boundary` lines, up to `--boundary--`; the preamble and epilogue
    /// dropped; empty when no delimiter line is found.
    static func bodies(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var result: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            if let kind = delimiterKind(body[lineStart..<lineEnd], delimiter) {
                if let start = partStart {
                    // The line end before a delimiter belongs to the delimiter.
                    var end = lineStart
                    if end > start, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                    if end > start, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    result.append(body[start..<max(start, end)])
                }
                if kind == .close { return result }
                partStart = next
            }
            lineStart = next
        }
        // No closing delimiter (a cut message): the last part runs to the end.
        if let start = partStart, start < body.endIndex { result.append(body[start...]) }
        return result
    }

    private enum Kind { case open, close }

    private static func delimiterKind(_ line: ArraySlice<UInt8>, _ delimiter: [UInt8]) -> Kind? {
        guard line.count >= delimiter.count, line.prefix(delimiter.count).elementsEqual(delimiter) else { return nil }
        var rest = line.dropFirst(delimiter.count)
        var kind = Kind.open
        if rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
            kind = .close
            rest = rest.dropFirst(2)
        }
        // Only transport padding may follow the delimiter.
        guard rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
        else { return nil }
        return kind
    }
}
