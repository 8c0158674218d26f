import Foundation

/// SplitMix64: a tiny seeded generator, so every run of the fuzz tests makes the same inputs
/// and a failure reproduces from its iteration number alone.
struct SeededGenerator: RandomNumberGenerator {
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

/// Makes mutated inputs from a corpus of seed files: splices, repeats, deep nesting, the
/// characters Markdown and Mustache treat specially, and bytes that are not UTF-8.
struct FuzzMutator {
    /// The seeds, as bytes.
    let corpus: [[UInt8]]
    /// Inputs are cut to this many bytes, so one iteration stays cheap.
    var maximumSize = 96 * 1024
    private var random: SeededGenerator

    init(corpus: [[UInt8]], seed: UInt64) {
        self.corpus = corpus.isEmpty ? [[]] : corpus
        random = SeededGenerator(seed: seed)
    }

    /// Tokens either language gives a meaning to.
    static let specials: [String] = [
        "{{", "}}", "{{{", "}}}", "{{#", "{{/", "{{^", "{{>", "{{!", "{{&", "{{=<% %>=}}", "{{<", "{{$", "{{.}}",
        "{{#events}}", "{{/events}}", "{{title}}", "{{{description}}}", "{{> self}}", "{{> announce-text}}",
        ">", "> ", "-", "- ", "*", "**", "_", "[", "]", "(", ")", "](", "![", "<", "</", "<b>", "`", "```", "~~~",
        "#", "1. ", "1) ", "\\", "&", "&amp;", "&#", "\n", "\n\n", "\r\n", "\r", "\t", "    ", "---", "***", "|", "\u{0}",
    ]

    /// Byte sequences that are not valid UTF-8: a lone continuation byte, a cut-off sequence,
    /// an encoded surrogate, a code point past U+10FFFF, an overlong form.
    static let invalidUTF8: [[UInt8]] = [[0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]

    /// Openers and closers that nest.
    static let wrappers: [(String, String)] = [
        ("{{#events}}", "{{/events}}"), ("{{#has_events}}", "{{/has_events}}"), ("{{^x}}", "{{/x}}"),
        ("> ", ""), (">", ""), ("- ", ""), ("1. ", ""), ("*", "*"), ("**", "**"), ("_", "_"),
        ("[", "](https://example.fi)"), ("![", "](https://example.fi/k.jpg)"), ("<em>", "</em>"),
    ]

    /// One input: a seed with one to four mutations.
    mutating func next() -> [UInt8] {
        var input = pick(corpus)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            input = mutate(input)
            if input.count > maximumSize { input.removeLast(input.count - maximumSize) }
        }
        return input
    }

    private mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            // Splice: a piece of another seed put into this one.
            let other = pick(corpus)
            bytes.insert(contentsOf: other[range(in: other)], at: offset(in: bytes))
        case 1:
            // Repeat a piece many times.
            let piece = Array(bytes[range(in: bytes, longest: 64)])
            let times = Int.random(in: 2...400, using: &random)
            bytes.insert(contentsOf: Array(repeating: piece, count: times).joined(), at: offset(in: bytes))
        case 2:
            // Nest a piece, sometimes past every limit.
            let (open, close) = pick(Self.wrappers)
            let depth = Int.random(in: 1...3, using: &random) == 1 ? Int.random(in: 90...400, using: &random) : Int.random(in: 1...12, using: &random)
            let range = range(in: bytes, longest: 200)
            let middle = Array(bytes[range])
            let wrapped = Array(String(repeating: open, count: depth).utf8) + middle + Array(String(repeating: close, count: depth).utf8)
            bytes.replaceSubrange(range, with: wrapped)
        case 3:
            bytes.insert(contentsOf: Array(pick(Self.specials).utf8), at: offset(in: bytes))
        case 4:
            bytes.insert(contentsOf: pick(Self.invalidUTF8), at: offset(in: bytes))
        case 5:
            // Delete a piece.
            if !bytes.isEmpty { bytes.removeSubrange(range(in: bytes, longest: 256)) }
        default:
            // Cut the input short, often in the middle of a tag or a character.
            bytes = Array(bytes.prefix(offset(in: bytes)))
        }
        return bytes
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    private mutating func offset(in bytes: [UInt8]) -> Int {
        Int.random(in: 0...bytes.count, using: &random)
    }

    private mutating func range(in bytes: [UInt8], longest: Int = 4096) -> Range<Int> {
        let start = offset(in: bytes)
        let length = Int.random(in: 0...min(longest, bytes.count - start), using: &random)
        return start..<(start + length)
    }
}
