import Testing
@testable import TiedoteRender

struct TextWrapTests {
    /// The wrapping as first written, word by word with every line's characters counted
    /// again: the reference the one-pass `TextWrap.line` must agree with.
    static func reference(_ line: Substring, width: Int) -> String {
        guard line.count > width else { return String(line) }
        let indent = String(line.prefix { $0 == " " || $0 == ">" })
        let body = line.dropFirst(indent.count)
        let continuation = indent + (body.hasPrefix("- ") ? "  " : "")
        var lines: [String] = []
        var current = ""
        for word in body.split(separator: " ") {
            if current.isEmpty {
                current = indent + word
            } else if current.count + 1 + word.count > width {
                lines.append(current)
                current = continuation + word
            } else {
                current.append(" ")
                current.append(contentsOf: word)
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// Lines of words of every kind (ASCII, Finnish letters, emoji, combining marks, a tab,
    /// a CR), runs of spaces, indentation and list items, around and past the width; some
    /// words make a space part of a larger character (a combining mark, a zero-width joiner or
    /// an emoji modifier after it, a prepended mark before it).
    static let lines: [String] = {
        let words = ["a", "sana", "Jyväskylä", "🎭", "e\u{301}", "https://example.fi/peru?t=abc", "x\ty", "\r", "–",
                     String(repeating: "w", count: 75), "Åsa", "", " ", "Ödön", "\u{301}x", "\u{200D}", "\u{1F3FB}",
                     "x\u{600}", "\u{600}"]
        let starts = ["", "  ", "> ", "- ", "  - ", ">>"]
        var seed: UInt64 = 0x7E47
        return (0..<600).map { _ in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var line = starts[Int(seed >> 40) % starts.count]
            for _ in 0..<Int((seed >> 20) % 30) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += words[Int(seed >> 33) % words.count] + " "
            }
            return seed % 3 == 0 ? String(line.dropLast()) : line
        }
    }()

    @Test(arguments: lines)
    func wrapsLikeTheReference(line: String) {
        for width in [20, 72] {
            #expect(TextWrap.line(Substring(line), width: width) == Self.reference(Substring(line), width: width))
        }
    }
}
