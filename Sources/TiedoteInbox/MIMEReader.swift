import TiedoteCore

/// A small, strict reader of Internet messages (RFC 5322 and MIME): it never trusts what it
/// reads. Sizes and nesting are capped; malformed structure falls back to plain text; invalid
/// bytes become U+FFFD. Only a message over the size cap is refused.
public enum MIMEReader {
    /// Why a message was not read.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// Larger than `maxMessageSize`.
        case tooLarge(Int)

        /// For messages.
        public var description: String {
            switch self {
            case .tooLarge(let size):
                "the message is \(size / 1_048_576) MB, over the \(MIMEReader.maxMessageSize / 1_048_576) MB that bounces and unsubscribes ever need; left alone"
            }
        }
    }

    /// The largest message read: bounces quote at most the original newsletter (~100 KB).
    public static let maxMessageSize = 10 * 1_048_576
    /// Deeper parts are kept as leaves, unparsed (a report inside a message inside a report…).
    public static let maxDepth = 8
    /// Parts per multipart at most; the rest are dropped.
    public static let maxParts = 200
    /// Header fields per part at most.
    public static let maxHeaders = 500

    /// Parses a whole message.
    public static func parse(_ bytes: [UInt8]) throws(Refusal) -> MIMEPart {
        guard bytes.count <= maxMessageSize else { throw .tooLarge(bytes.count) }
        return part(bytes[...], depth: 0, defaultType: .plainText)
    }

    /// Header fields only (a `text/rfc822-headers` part, or one group of a delivery-status part).
    public static func headers(_ bytes: some Collection<UInt8>) -> [MIMEHeader] {
        var fields: [MIMEHeader] = []
        var current: [UInt8] = []
        func flush() {
            defer { current = [] }
            guard !current.isEmpty, fields.count < maxHeaders, let colon = current.firstIndex(of: UInt8(ascii: ":"))
            else { return }
            let name = String(decoding: current[..<colon], as: UTF8.self).trimmingSpaces
            // A field name is printable ASCII without spaces; anything else is not a header.
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return }
            let raw = Charset.decode(current[(colon + 1)...], charset: "utf-8").trimmingSpaces
            fields.append(MIMEHeader(name: name, value: clean(EncodedWords.decode(raw)), raw: clean(raw)))
        }
        for line in lines(bytes) {
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                // A continuation line: unfold (drop the line end, keep the white space).
                if !current.isEmpty { current.append(contentsOf: line) }
            } else {
                flush()
                current = Array(line)
            }
        }
        flush()
        return fields
    }

    /// Control characters (CR, LF, NUL, …) as spaces: a decoded value can never smuggle a line.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : $0 }))
    }

    /// The lines of `bytes` without their line ends (CRLF, or a bare LF).
    static func lines<C: Collection<UInt8>>(_ bytes: C) -> [C.SubSequence] {
        var result: [C.SubSequence] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                var end = index
                if end > start, bytes[bytes.index(end, offsetBy: -1)] == UInt8(ascii: "\r") { end = bytes.index(end, offsetBy: -1) }
                result.append(bytes[start..<end])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start != bytes.endIndex { result.append(bytes[start...]) }
        return result
    }

    /// Where the header block ends and the body starts: after the first empty line.
    static func split(_ bytes: ArraySlice<UInt8>) -> (header: ArraySlice<UInt8>, body: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        var lineStart = index
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                let line = bytes[lineStart..<index]
                if line.isEmpty || (line.count == 1 && line.first == UInt8(ascii: "\r")) {
                    return (bytes[bytes.startIndex..<lineStart], bytes[(index + 1)...])
                }
                lineStart = index + 1
            }
            index += 1
        }
        // No empty line: all header (a message without a body).
        return (bytes, bytes[bytes.endIndex...])
    }

    static func part(_ bytes: ArraySlice<UInt8>, depth: Int, defaultType: ContentType) -> MIMEPart {
        let (headerBytes, bodyBytes) = split(bytes)
        let fields = headers(headerBytes)
        var result = MIMEPart(headers: fields, contentType: defaultType)
        if let raw = fields.first(where: { $0.lowercasedName == "content-type" })?.raw {
            result.contentType = ContentType.parse(raw) ?? .plainText
        }
        let encoding = result.header("Content-Transfer-Encoding")
        let type = result.contentType
        if type.type == "multipart", depth < maxDepth, let boundary = type.parameters["boundary"], !boundary.isEmpty,
            boundary.utf8.count <= 200
        {
            let childDefault = type.subtype == "digest"
                ? ContentType(type: "message", subtype: "rfc822", parameters: [:]) : .plainText
            let pieces = Multipart.bodies(bodyBytes, boundary: Array(boundary.utf8))
            if !pieces.isEmpty {
                result.parts = pieces.prefix(maxParts).map { part($0, depth: depth + 1, defaultType: childDefault) }
                return result
            }
            // No delimiter found: keep the body as text, read like any single part.
        }
        result.body = TransferDecoding.decode(bodyBytes, encoding: encoding)
        if type.mediaType == "message/rfc822" || type.mediaType == "message/global", depth < maxDepth {
            result.parts = [part(result.body[...], depth: depth + 1, defaultType: .plainText)]
        }
        return result
    }
}
