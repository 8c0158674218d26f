import Foundation
import Testing
import TiedoteTestSupport
@testable import TiedoteCore

/// The one-pass ASCII check of `EmailAddress.normalized` against the full check, which it
/// must never contradict: the same verdict, the same normalized address, the same reason, for
/// generated addresses of every awkward kind.
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
    func edgeCaseIsJudgedAsTheFullCheckJudgesIt(address: String) {
        #expect(EmailAddress.normalized(address) == EmailAddress.normalizedInFull(address))
    }

    @Test func generatedAddressesAreJudgedAsTheFullCheckJudgesThem() {
        var random = SplitMix64(seed: 2026)
        var fast = 0
        var accepted = 0
        var rejected = 0
        for _ in 0..<40_000 {
            let address = Self.generatedAddress(&random)
            let new = EmailAddress.normalized(address)
            let old = EmailAddress.normalizedInFull(address)
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
