import Testing
import TiedoteCore
import TiedoteTestSupport
@testable import TiedoteAudience

/// The byte split of an ASCII interests cell against the split by characters that every
/// other cell takes: the same interests, trimmed the same, on generated cells.
struct InterestsFastPathTests {
    /// The full path: split by characters, trimmed by Unicode properties, empties dropped.
    static func byCharacters(_ text: String) -> [String] {
        text.split(separator: ";").map { ReferenceTrimming.trimmingSpaces(String($0)) }.filter { !$0.isEmpty }
    }

    @Test func generatedCellsSplitAsByCharacters() {
        let pieces = ["tanssi", "teatteri", ";", ";", " ", "\t", "\n", "\r", "\u{B}", "\u{C}", "a", "Z9", "-", "\u{0}",
                      "ä", "\u{301}", "\u{A0}", "\u{2003}", "🎭", "x y"]
        var random = SplitMix64(seed: 0x1A7E)
        for _ in 0..<20_000 {
            var cell = ""
            for _ in 0..<Int(random.next() % 10) { cell += pieces[Int(random.next() % UInt64(pieces.count))] }
            #expect(ListFile.interests(in: cell) == Self.byCharacters(cell), "\(cell.debugDescription)")
        }
    }
}
