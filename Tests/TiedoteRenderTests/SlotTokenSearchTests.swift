import Foundation
import Testing
@testable import TiedoteRender

/// The slot-token search on bytes finds what Foundation's `range(of:)` found.
struct SlotTokenSearchTests {
    @Test func findsTheSameTokenAsFoundation() {
        let token = PersonalisedPieces.Slot.prefix
        let texts = [
            "", "no token here", token, "Hei \(token)1Xqq!", "qqTiedoteSlo", "qq\(token)2Xqq", "ääkköset \(token)0Xqq ja \(token)1Xqq",
            "🎭\(token)", String(repeating: "q", count: 40) + token + "3Xqq", "\(token.dropLast())\n\(token)",
            "Jose\u{301} \(token)1Xqq", "<a href=\"https://x.fi/?t=\(token)4Xqq\">",
        ]
        for text in texts {
            for start in [0, 1, 3] where start <= text.count {
                let rest = text.dropFirst(start)
                let mine = PersonalisedPieces.firstToken(in: rest).map { rest.distance(from: rest.startIndex, to: $0.lowerBound) }
                let foundation = rest.range(of: token).map { rest.distance(from: rest.startIndex, to: $0.lowerBound) }
                #expect(mine == foundation, "\(text)")
                if let range = PersonalisedPieces.firstToken(in: rest) { #expect(rest[range] == token) }
            }
        }
    }
}
