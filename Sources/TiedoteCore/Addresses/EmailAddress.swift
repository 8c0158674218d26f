import Foundation

/// Email address checks: the practical subset of RFC 5321 that real mail servers accept.
///
/// Accepted: `local@domain` with a dot-atom local part of printable ASCII, and a domain of
/// at least two labels (letters, digits, hyphens). A domain with non-ASCII letters
/// (`jyväskylä.fi`) is converted to its ASCII form (`xn--jyvskyl-7wae.fi`, RFC 3492).
/// Refused: quoted local parts, IP-address literals, non-ASCII before the `@` (it needs
/// SMTPUTF8, which many servers lack), and anything with spaces, line breaks or controls.
public enum EmailAddress {
    /// Why `address` is not usable, or nil when it is.
    public static func validate(_ address: String) -> String? {
        switch normalized(address) {
        case .success: nil
        case .failure(let problem): problem.reason
        }
    }

    /// A rejected address and why.
    public struct Problem: Error, Sendable, Hashable {
        /// A short explanation, for messages ("has no @").
        public var reason: String
    }

    /// The address as it should be sent to: trimmed, domain lower-cased and in ASCII form.
    public static func normalized(_ raw: String) -> Result<String, Problem> {
        if let address = normalizedASCII(raw) { return .success(address) }
        return normalizedInFull(raw)
    }

    /// `normalized(_:)` for any text: every check in turn, with the reason for the first that
    /// fails.
    static func normalizedInFull(_ raw: String) -> Result<String, Problem> {
        func fail(_ reason: String) -> Result<String, Problem> { .failure(Problem(reason: reason)) }
        let address = raw.trimmingSpaces
        if address.isEmpty { return fail("the address is empty") }
        if address.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            return fail("the address contains a line break")
        }
        if address.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return fail("the address contains a space")
        }
        if address.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return fail("the address contains a control character")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 1 { return fail("the address has no @") }
        if parts.count > 2 { return fail("the address has \(parts.count - 1) @ signs; it must have exactly one") }
        let local = String(parts[0])
        let domain = String(parts[1])
        if let problem = localPartProblem(local) { return fail(problem) }
        switch asciiDomain(domain) {
        case .failure(let problem): return .failure(problem)
        case .success(let ascii):
            let result = "\(local)@\(ascii)"
            if result.utf8.count > 254 { return fail("the address is longer than 254 characters") }
            return .success(result)
        }
    }

    /// The common case in one pass over the bytes: a printable ASCII address that passes every
    /// check of `normalizedInFull(_:)`, normalized the same way. Nil for anything else, which
    /// the full path then judges and explains, so the two can never disagree on a verdict.
    static func normalizedASCII(_ raw: String) -> String? {
        var raw = raw
        let parts = raw.withUTF8 { bytes -> (start: Int, at: Int, end: Int, upperCase: Bool)? in
            var start = 0
            var end = bytes.count
            while start < end && bytes[start].isASCIISpace { start += 1 }
            while end > start && bytes[end - 1].isASCIISpace { end -= 1 }
            guard end - start <= 254 else { return nil }
            var at: Int?
            var previous: UInt8 = 0
            var labelStart = 0
            var labelIsNumber = true
            var upperCase = false
            for index in start..<end {
                let byte = bytes[index]
                defer { previous = byte }
                guard at != nil else {
                    // The part before the @: a dot-atom of at most 64 bytes.
                    if byte == UInt8(ascii: "@") {
                        guard index > start, index - start <= 64, previous != UInt8(ascii: ".") else { return nil }
                        at = index
                        labelStart = index + 1
                    } else if byte == UInt8(ascii: ".") {
                        guard index > start, previous != UInt8(ascii: ".") else { return nil }
                    } else if !(isASCIILetterOrDigit(byte) || isAtextSymbol[Int(byte)]) {
                        return nil
                    }
                    continue
                }
                // The domain: labels of 1…63 letters, digits and inner hyphens.
                if byte == UInt8(ascii: ".") {
                    guard index > labelStart, index - labelStart <= 63, previous != UInt8(ascii: "-") else { return nil }
                    labelStart = index + 1
                    labelIsNumber = true
                } else if isASCIILetterOrDigit(byte) {
                    upperCase = upperCase || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    labelIsNumber = labelIsNumber && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                } else if byte == UInt8(ascii: "-") {
                    guard index > labelStart else { return nil }
                    labelIsNumber = false
                } else {
                    return nil
                }
            }
            // The top label: not empty, not too long, no hyphen at its end, not a number; and
            // at least one dot, a domain of at most 253 bytes.
            guard let at, end > labelStart, end - labelStart <= 63, previous != UInt8(ascii: "-"), !labelIsNumber,
                labelStart > at + 1, end - at - 1 <= 253
            else { return nil }
            return (start, at, end, upperCase)
        }
        guard let parts else { return nil }
        if parts.start == 0 && parts.end == raw.utf8.count && !parts.upperCase { return raw }
        let utf8 = Array(raw.utf8)
        let domain = utf8[(parts.at + 1)..<parts.end].map { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }
        return String(decoding: utf8[parts.start...parts.at] + domain, as: UTF8.self)
    }

    /// `atextSymbols` by byte value, for the ASCII path.
    static let isAtextSymbol: [Bool] = (0..<256).map { value in
        Unicode.Scalar(UInt32(value)).map { atextSymbols.contains($0) } ?? false
    }

    /// Characters allowed in a dot-atom besides letters and digits (RFC 5322 `atext`).
    static let atextSymbols = Set("!#$%&'*+/=?^_`{|}~-".unicodeScalars)

    static func localPartProblem(_ local: String) -> String? {
        if local.isEmpty { return "nothing before the @" }
        if local.utf8.count > 64 { return "the part before the @ is longer than 64 characters" }
        if local.hasPrefix("\"") { return "quoted addresses (\"…\"@) are not supported" }
        if local.unicodeScalars.contains(where: { !$0.isASCII }) {
            return "non-ASCII letters before the @ ('\(local)') are not deliverable everywhere; ask for another address"
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            return "the part before the @ has a dot at its start or end, or two dots in a row"
        }
        if let bad = local.unicodeScalars.first(where: {
            !(isASCIILetterOrDigit($0) || $0 == "." || atextSymbols.contains($0))
        }) {
            return "the character '\(bad)' is not allowed before the @"
        }
        return nil
    }

    /// The domain in lower-case ASCII form (non-ASCII labels as `xn--` Punycode).
    public static func asciiDomain(_ domain: String) -> Result<String, Problem> {
        func fail(_ reason: String) -> Result<String, Problem> { .failure(Problem(reason: reason)) }
        if domain.isEmpty { return fail("nothing after the @") }
        if domain.hasPrefix("[") { return fail("IP-address domains ([…]) are not supported") }
        let lowered = domain.lowercased()
        // Only non-ASCII text can have more than one Unicode spelling; skip the cost otherwise.
        let composed = lowered.utf8.allSatisfy { $0 < 0x80 } ? lowered : lowered.precomposedStringWithCanonicalMapping
        let labels = composed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.count < 2 { return fail("the domain '\(domain)' has no dot; check it (e.g. example.fi)") }
        var ascii: [String] = []
        for label in labels {
            if label.isEmpty { return fail("the domain '\(domain)' has an empty part (two dots in a row or a dot at an end)") }
            var converted = label
            if label.unicodeScalars.contains(where: { !$0.isASCII }) {
                if let bad = label.unicodeScalars.first(where: { !$0.isASCII && !isDomainLetter($0) }) {
                    return fail("the domain contains the character '\(bad)', which no domain name can hold")
                }
                guard let encoded = Punycode.encode(label) else {
                    return fail("the domain '\(domain)' cannot be written in ASCII form")
                }
                converted = "xn--" + encoded
            }
            if converted.utf8.count > 63 { return fail("a part of the domain is longer than 63 characters") }
            if let bad = converted.unicodeScalars.first(where: { !(isASCIILetterOrDigit($0) || $0 == "-") }) {
                return fail("the character '\(bad)' is not allowed in a domain")
            }
            if converted.hasPrefix("-") || converted.hasSuffix("-") {
                return fail("a part of the domain '\(domain)' starts or ends with a hyphen")
            }
            ascii.append(converted)
        }
        if let top = ascii.last, top.allSatisfy(\.isNumber) {
            return fail("the domain '\(domain)' ends in a number; IP addresses are not supported")
        }
        let result = ascii.joined(separator: ".")
        if result.utf8.count > 253 { return fail("the domain is longer than 253 characters") }
        return .success(result)
    }

    /// Letters, digits and combining marks: what an internationalised domain label may hold.
    static func isDomainLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter,
            .decimalNumber, .nonspacingMark, .spacingMark:
            true
        default:
            false
        }
    }

    static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && isASCIILetterOrDigit(UInt8(scalar.value))
    }

    static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
