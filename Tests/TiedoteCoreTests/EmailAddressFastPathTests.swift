import Foundation
import Testing
@testable import TiedoteCore

/// The one-pass ASCII check of `EmailAddress.normalized` against the implementation it
/// replaced (kept below, unchanged, as the reference): the same verdict, the same normalized
/// address, the same reason, for generated addresses of every awkward kind.
struct EmailAddressFastPathTests {
    /// Addresses at the edges of each rule.
    static let edgeCases: [String] = [
        "a@b.fi", "A@B.FI", " a@b.fi\t", "\na@b.fi\r\n", "\u{A0}a@b.fi", "a@b.fi\u{85}",
        "a.b@c.fi", ".a@b.fi", "a.@b.fi", "a..b@c.fi", "a@@b.fi", "@b.fi", "a@", "a@.fi", "a@b.", "a@b..fi",
        "a b@c.fi", "a\tb@c.fi", "a\u{1}b@c.fi", "a\u{7F}@b.fi", "\"a\"@b.fi", "a(b)@c.fi", "a@[1.2.3.4]",
        "a@1.2.3.4", "a@b.123", "a@123.fi", "a@b.f1", "a@-b.fi", "a@b-.fi", "a@b.fi-", "a@b-c.fi", "a@b_c.fi",
        "a@xn--kyl-sla.fi", "a@XN--KYL-SLA.FI", "a@kylä.fi", "a@KYLÄ.FI", "a@ky\u{308}la.fi", "ä@b.fi", "a@b☃.fi",
        "matti.virtanen123@example.fi", "Matti.Virtanen+uutiset@Example.FI", "o'brien@example.co.uk",
        "!#$%&'*+/=?^_`{|}~-@example.fi", "a@b", "a", "", "   ", "a@b.fi@c.fi",
        String(repeating: "l", count: 64) + "@example.fi",
        String(repeating: "l", count: 65) + "@example.fi",
        "a@" + String(repeating: "d", count: 63) + ".fi",
        "a@" + String(repeating: "d", count: 64) + ".fi",
        "a@example." + String(repeating: "t", count: 63),
        "a@example." + String(repeating: "t", count: 64),
        // 254 and 255 bytes in all; domains of 253 and 254.
        String(repeating: "l", count: 64) + "@" + Self.domain(length: 189),
        String(repeating: "l", count: 64) + "@" + Self.domain(length: 190),
        "a@" + Self.domain(length: 251), "ab@" + Self.domain(length: 251),
        "a@" + Self.domain(length: 253), "a@" + Self.domain(length: 254),
    ]

    /// A domain of exactly `length` bytes: labels of at most 63 letters joined by dots.
    static func domain(length: Int) -> String {
        var labels: [String] = []
        var left = length
        while left > 0 {
            var size = min(63, left)
            if left - size == 1 { size -= 1 }  // never leave room for a lone dot
            labels.append(String(repeating: "d", count: size))
            left -= size + 1
        }
        return labels.joined(separator: ".")
    }

    @Test(arguments: edgeCases)
    func edgeCaseIsJudgedAsBefore(address: String) {
        #expect(EmailAddress.normalized(address) == ReferenceEmailAddress.normalized(address))
    }

    @Test func generatedAddressesAreJudgedAsBefore() {
        var random = SplitMix64(seed: 2026)
        var fast = 0
        var accepted = 0
        var rejected = 0
        for _ in 0..<40_000 {
            let address = Self.generatedAddress(&random)
            let new = EmailAddress.normalized(address)
            let old = ReferenceEmailAddress.normalized(address)
            #expect(new == old, "\(address.debugDescription)")
            let tookFastPath = EmailAddress.normalizedASCII(address) != nil
            if tookFastPath { fast += 1 }
            if case .success = old { accepted += 1 } else { rejected += 1 }
            // Every usable ASCII address takes the fast path: the common case is the fast one.
            if case .success = old, address.utf8.allSatisfy({ $0 < 0x80 }) {
                #expect(tookFastPath, "\(address.debugDescription)")
            }
        }
        // The generator reaches both verdicts and the fast path, or the comparison says little.
        #expect(fast > 4_000 && accepted > fast && rejected > 10_000, "fast \(fast), accepted \(accepted), rejected \(rejected)")
    }

    /// An address built from likely and unlikely parts.
    static func generatedAddress(_ random: inout SplitMix64) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func text(_ alphabet: [String], _ length: Int) -> String {
            (0..<length).map { _ in pick(alphabet) }.joined()
        }
        let common = Array("abcdefghijklmnopqrstuvwxyzABCZ0123456789").map(String.init)
        let localOdd = [".", ".", "+", "-", "_", "'", "!", "#", "~", "=", "\"", "(", " ", "\t", "\u{1}", "\u{7F}", "@", "ä", "\u{A0}", "\u{2028}"]
        let domainOdd = ["-", "-", "_", "ä", "Ä", "ö", "ß", "☃", "\u{301}", "@", ".", " ", "Z", "[", "1"]
        let space = ["", "", "", "", " ", "\t", "\n", "\r\n", "\u{A0}", "\u{85}", "\u{3000}"]

        var local = text(common, Int(random.next() % 12) + (chance(3) ? 58 : 0))
        if chance(35) { local.insert(contentsOf: text(localOdd, 1), at: local.index(local.startIndex, offsetBy: Int(random.next() % UInt64(local.count + 1)))) }
        if chance(10) { local = "." + local }
        if chance(10) { local += "." }
        if chance(15) { local += String(random.next() % 1000) }
        var labels: [String] = []
        for _ in 0..<(Int(random.next() % 3) + 1) {
            var label = text(common, Int(random.next() % 9) + (chance(3) ? 58 : 0))
            if chance(15) { label = "xn--" + label }
            if chance(25) { label.insert(contentsOf: text(domainOdd, 1), at: label.index(label.startIndex, offsetBy: Int(random.next() % UInt64(label.count + 1)))) }
            labels.append(label)
        }
        labels.append(chance(10) ? String(random.next() % 300) : pick(["fi", "FI", "com", "Fi", "co", "x1", "1x", ""]))
        let at = chance(90) ? "@" : pick(["", "@@", "@a@"])
        return pick(space) + local + at + labels.joined(separator: ".") + pick(space)
    }
}

/// A small seeded generator, so a failure can be run again.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `EmailAddress` as it was before its ASCII fast path, word for word (with the white space
/// trimming of that time), as the reference for the tests above.
enum ReferenceEmailAddress {
    static func trimmingSpaces(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    typealias Problem = EmailAddress.Problem

    static func normalized(_ raw: String) -> Result<String, Problem> {
        func fail(_ reason: String) -> Result<String, Problem> { .failure(Problem(reason: reason)) }
        let address = trimmingSpaces(raw)
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

    static func asciiDomain(_ domain: String) -> Result<String, Problem> {
        func fail(_ reason: String) -> Result<String, Problem> { .failure(Problem(reason: reason)) }
        if domain.isEmpty { return fail("nothing after the @") }
        if domain.hasPrefix("[") { return fail("IP-address domains ([…]) are not supported") }
        let lowered = domain.lowercased()
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
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
