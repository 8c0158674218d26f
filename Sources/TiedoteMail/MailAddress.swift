import TiedoteCore

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
        // The rest of the rules are the lists' own, so an address a list accepts is one
        // that can be sent to.
        switch EmailAddress.normalized(text) {
        case .success(let address): return address
        case .failure(let problem): throw invalid(text, problem.reason)
        }
    }
}
