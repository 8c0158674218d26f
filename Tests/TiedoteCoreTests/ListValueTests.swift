import Foundation
import Testing
@testable import TiedoteCore

/// The cheaper per-value checks of a list row give the verdicts of the ones they replaced.
struct ListValueTests {
    @Test func controlCharactersAreExactlyGeneralCategoryCc() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
            if String(scalar).containsControlCharacters != expected {
                Issue.record("U+\(String(value, radix: 16, uppercase: true))")
            }
        }
    }

    @Test(arguments: [
        "", " ", "\t\n", "a", " a", "a ", "\u{A0}a\u{A0}", "\u{3000}Aino Mäkelä\u{2029}", "\u{85}x\u{85}", "~x!",
        "Jyväskylä", "ä", " ä ", "e\u{301}", "\r\n", "a\r\n", "x\u{200B}",
    ])
    func trimmingAsBefore(text: String) {
        #expect(text.trimmingSpaces == ReferenceEmailAddress.trimmingSpaces(text))
        #expect(text.dropFirst(0).trimmingSpaces == ReferenceEmailAddress.trimmingSpaces(text))
    }

    @Test(arguments: [
        "fi", "sv", "en-GB", "FI", "sv-fi-x1", "abcdefgh", "abcdefghi", "f i", "fi1", "ä", "e\u{301}", "\r\n", "-", "fi_FI", "@", "[", "`", "{",
    ])
    func languageCodeAsBefore(text: String) {
        let before = text.count <= 8 && text.allSatisfy { $0.isLetter && $0.isASCII || $0 == "-" }
        #expect(ListFile.isLanguageCode(text) == before)
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
