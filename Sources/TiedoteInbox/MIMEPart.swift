import Foundation

/// One part of a parsed message: its headers, its content type, its decoded body and, for a
/// multipart or an embedded message, the parts inside.
public struct MIMEPart: Sendable, Hashable {
    /// The header fields in order, unfolded and decoded.
    public var headers: [MIMEHeader]
    /// The content type (`text/plain` when the part names none or names one badly).
    public var contentType: ContentType
    /// The body with its transfer encoding (base64, quoted-printable) undone.
    public var body: [UInt8]
    /// The parts of a multipart, or the one message inside a `message/rfc822`.
    public var parts: [MIMEPart]

    /// Creates a part.
    public init(headers: [MIMEHeader], contentType: ContentType, body: [UInt8] = [], parts: [MIMEPart] = []) {
        self.headers = headers
        self.contentType = contentType
        self.body = body
        self.parts = parts
    }

    /// The first field named `name` (case-insensitive), decoded; nil when there is none.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.lowercasedName == wanted }?.value
    }

    /// Every field named `name`, decoded, in order.
    public func headers(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.lowercasedName == wanted }.map(\.value)
    }

    /// The body as text in its declared charset (invalid bytes become U+FFFD).
    public var text: String { Charset.decode(body, charset: contentType.parameters["charset"]) }

    /// This part and every part inside it, depth first.
    public var allParts: [MIMEPart] {
        var result = [self]
        for part in parts { result.append(contentsOf: part.allParts) }
        return result
    }
}

/// One header field.
public struct MIMEHeader: Sendable, Hashable {
    /// The name as written.
    public var name: String
    /// The value unfolded, encoded words decoded, control characters (CR, LF, NUL…) made spaces.
    public var value: String
    /// The value unfolded but not decoded (what structured fields are parsed from).
    public var raw: String

    /// The name lower-cased, for lookups.
    public var lowercasedName: String { name.lowercased() }

    /// Creates a field.
    public init(name: String, value: String, raw: String) {
        self.name = name
        self.value = value
        self.raw = raw
    }
}

/// A `Content-Type` value: `type/subtype; name=value…`.
public struct ContentType: Sendable, Hashable {
    /// The top-level type, lower-cased (`multipart`).
    public var type: String
    /// The subtype, lower-cased (`report`).
    public var subtype: String
    /// Parameters by lower-cased name (`boundary`, `charset`, `report-type`).
    public var parameters: [String: String]

    /// `type/subtype`.
    public var mediaType: String { "\(type)/\(subtype)" }

    /// The default, `text/plain; charset=us-ascii` (RFC 2045 §5.2).
    public static let plainText = ContentType(type: "text", subtype: "plain", parameters: [:])

    /// Creates a content type.
    public init(type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// Parses a raw `Content-Type` value; nil when it is not `type/subtype`.
    public static func parse(_ raw: String) -> ContentType? {
        var fields = HeaderParameters.split(raw)
        guard !fields.isEmpty else { return nil }
        let media = fields.removeFirst().trimmingCharacters(in: .whitespaces).lowercased()
        let halves = media.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty,
            media.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { return nil }
        return ContentType(type: String(halves[0]), subtype: String(halves[1]), parameters: HeaderParameters.parse(fields))
    }
}
