/// A validated mail address (`aino.makela@example.fi`), safe to put in an envelope or a header.
///
/// Only dot-atom local parts are accepted (no quoted strings, no comments), and the domain
/// must have at least one dot. A non-ASCII domain is converted to its punycode (`xn--`) form;
/// a non-ASCII local part is rejected because it would need SMTPUTF8, which libcurl does not
/// offer for every server.
public struct MailAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address in ASCII, as it goes on the wire.
    public let value: String

    /// Validates `text`; throws `MailError.invalidAddress` that says what is wrong.
    public init(_ text: String) throws(MailError) {
        value = try MailAddress.validate(text)
    }

    /// The address lower-cased: the key for deduplication, suppression and Message-IDs.
    public var key: String { value.lowercased() }

    /// The address.
    public var description: String { value }

    /// The part after the `@`.
    public var domain: Substring {
        value.lastIndex(of: "@").map { value[value.index(after: $0)...] } ?? ""
    }

    public static func < (lhs: MailAddress, rhs: MailAddress) -> Bool { lhs.value < rhs.value }

    private static func invalid(_ text: String, _ why: String) -> MailError {
        MailError(.invalidAddress, "invalid mail address \(visible(text)): \(why)")
    }

    /// The text with control characters shown as escapes, so an error message never carries
    /// a raw CR or LF into a terminal or log.
    static func visible(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case "\"": out += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func validate(_ text: String) throws(MailError) -> String {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r", "\n": throw invalid(text, "it contains a line break; remove it")
            case "\0": throw invalid(text, "it contains a NUL character; remove it")
            case " ", "\t": throw invalid(text, "it contains a space; remove it")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    throw invalid(text, "it contains a control character; remove it")
                }
            }
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw invalid(text, parts.count < 2 ? "it has no @" : "it has more than one @")
        }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty else { throw invalid(text, "nothing before the @") }
        guard local.utf8.count <= 64 else { throw invalid(text, "the part before the @ is longer than 64 characters") }
        guard local.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw invalid(text, "the part before the @ has non-ASCII letters, which SMTP cannot carry here")
        }
        guard local.first != ".", local.last != ".", !local.contains("..") else {
            throw invalid(text, "the part before the @ has a misplaced dot")
        }
        guard local.utf8.allSatisfy({ MailAddressText.isAtext($0) || $0 == UInt8(ascii: ".") }) else {
            throw invalid(text, "the part before the @ has a character that is not allowed there")
        }
        let ascii = try asciiDomain(domain, text)
        return "\(local)@\(ascii)"
    }

    /// The domain with each non-ASCII label in punycode, validated label by label.
    private static func asciiDomain(_ domain: Substring, _ text: String) throws(MailError) -> String {
        guard !domain.isEmpty else { throw invalid(text, "nothing after the @") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw invalid(text, "the domain has no dot") }
        var out: [String] = []
        for label in labels {
            guard !label.isEmpty else { throw invalid(text, "the domain has an empty label (two dots or a dot at an end)") }
            var ascii = String(label)
            if label.utf8.contains(where: { $0 >= 0x80 }) {
                guard let encoded = Punycode.encode(label.lowercased()) else {
                    throw invalid(text, "the domain cannot be converted to punycode")
                }
                ascii = "xn--" + encoded
            }
            guard ascii.utf8.count <= 63 else { throw invalid(text, "a domain label is longer than 63 characters") }
            guard ascii.first != "-", ascii.last != "-" else { throw invalid(text, "a domain label starts or ends with '-'") }
            let allowed = ascii.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    return true
                default:
                    return false
                }
            }
            guard allowed else { throw invalid(text, "the domain has a character that is not allowed in a host name") }
            out.append(ascii)
        }
        let joined = out.joined(separator: ".")
        guard joined.utf8.count <= 253 else { throw invalid(text, "the domain is longer than 253 characters") }
        return joined
    }
}
