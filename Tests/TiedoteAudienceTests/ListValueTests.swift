import Foundation
import Testing
import TiedoteTestSupport
@testable import TiedoteAudience
import TiedoteCore

/// The cheaper per-value checks of a list row give the verdicts of the ones they replaced.
struct ListValueTests {
    @Test func controlCharactersAndWhiteSpaceAreTheUnicodeSets() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
            if String(scalar).containsControlCharacters != expected {
                Issue.record("U+\(String(value, radix: 16, uppercase: true)) as a control character")
            }
            if String(scalar).trimmingSpaces.isEmpty != scalar.properties.isWhitespace {
                Issue.record("U+\(String(value, radix: 16, uppercase: true)) as white space")
            }
        }
    }

    @Test(arguments: [
        "", " ", "\t\n", "a", " a", "a ", "\u{A0}a\u{A0}", "\u{3000}Aino Mäkelä\u{2029}", "\u{85}x\u{85}", "~x!",
        "Jyväskylä", "ä", " ä ", "e\u{301}", "\r\n", "a\r\n", "x\u{200B}",
    ])
    func trimmingAsBefore(text: String) {
        #expect(text.trimmingSpaces == ReferenceTrimming.trimmingSpaces(text))
        #expect(text.dropFirst(0).trimmingSpaces == ReferenceTrimming.trimmingSpaces(text))
    }

    @Test(arguments: [
        "fi", "sv", "en-GB", "FI", "sv-fi-x1", "abcdefgh", "abcdefghi", "f i", "fi1", "ä", "e\u{301}", "\r\n", "-", "fi_FI", "@", "[", "`", "{",
    ])
    func languageCodeAsBefore(text: String) {
        let before = text.count <= 8 && text.allSatisfy { $0.isLetter && $0.isASCII || $0 == "-" }
        #expect(ListFile.isLanguageCode(text) == before)
    }

    @Test(arguments: [
        "2026-03-01", "2026-02-29", "2028-02-29", "2026-13-01", "0000-01-01", "2026-3-01", "2026-03-01T14:05",
        "2026-03-01 14:05", "2026-03-01x", "2026-03-01T", "2026-03-01\r\n", "2026-03-01\u{301}", "2026-03-01T\u{301}",
        "2026-03-01 ä", "+026-03-01", "2026-+3-01", "2026/03/01", "1.3.2026", "", "2026-03-0", "２０２６-03-01", "2026-03-01ä",
    ])
    func isoDateAsBefore(text: String) {
        func before(_ text: String) -> Bool {
            guard LocalDate(iso: text.prefix(10)) != nil else { return false }
            guard text.count > 10 else { return true }
            let rest = text.dropFirst(10)
            return rest.first == "T" || rest.first == " "
        }
        #expect(ListFile.isISODate(text) == before(text))
    }

    @Test(arguments: [
        "", ";", "teatteri;musiikki", " tanssi ; teatteri ;; ", "käsityö; teatteri", ";\u{301}a;b", "a;\tb\u{A0};c\u{3000}", "a\r\n;b",
        "a;;b", ";a", "a;", " ; ", "\u{0B}a\u{0C};\u{1F}b", "a b;c",
    ])
    func interestsAsBefore(text: String) {
        #expect(ListFile.interests(in: text) == text.split(separator: ";").map(\.trimmingSpaces).filter { !$0.isEmpty })
    }

    @Test func municipalitiesAreFoundAsBefore() {
        for municipality in Municipality.allCases {
            let name = municipality.rawValue
            for spelling in [name, name.uppercased(), name.lowercased(), " \(name)\t", name.decomposedStringWithCanonicalMapping] {
                #expect(Municipality(name: spelling) == municipality)
            }
        }
        #expect(Municipality(name: "Tampere") == nil)
        #expect(Municipality(name: "Kuhmoinen") == nil)
        #expect(Municipality(name: "") == nil)
    }
}
