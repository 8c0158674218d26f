import Foundation
import Testing
import TiedoteCore
import TiedoteRender

/// A seeded fuzzer for the Markdown and template parsers, run by `make test`: mutated inputs
/// from the corpus in `Tests/Fuzz/corpus` must never crash (a stack overflow or trap takes the
/// whole test run down), and every error must say where it is.
///
/// The seed and the number of iterations are fixed, so every run tries the same inputs and
/// takes about as long; `TIEDOTE_FUZZ_ITERATIONS` and `TIEDOTE_FUZZ_SEED` explore further by hand.
/// A failure names its iteration: the same seed makes the same input again.
@Suite("Fuzz: Markdown and template parsers")
struct FuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static var iterations: Int {
        ProcessInfo.processInfo.environment["TIEDOTE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_500
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["TIEDOTE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7469_6564_6F74_65
    }

    static func seeds(_ kind: String) throws -> [[UInt8]] {
        let folder = corpus.appendingPathComponent(kind)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let seeds = try names.map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
        try #require(!seeds.isEmpty, "no seeds in \(folder.path)")
        return seeds
    }

    /// Lines in `text` as a position may name them: one past the last for an error at the end.
    static func lineCount(_ text: String) -> Int {
        text.reduce(1) { $0 + ($1.isNewline ? 1 : 0) }
    }

    static func expectPositioned(_ error: any Error, path: String, lines: Int, _ iteration: Int) {
        guard let diagnostic = error as? Diagnostic else {
            Testing.Issue.record("iteration \(iteration): not a Diagnostic: \(error)")
            return
        }
        expectPositioned(diagnostic, path: path, lines: lines, iteration)
    }

    static func expectPositioned(_ diagnostic: Diagnostic, path: String, lines: Int, _ iteration: Int) {
        guard let position = diagnostic.position else {
            Testing.Issue.record("iteration \(iteration): no position in '\(diagnostic.message)'")
            return
        }
        #expect(position.path == path, "iteration \(iteration): \(diagnostic)")
        #expect((1...lines).contains(position.line), "iteration \(iteration): \(diagnostic)")
        #expect(position.column >= 1, "iteration \(iteration): \(diagnostic)")
    }

    @Test("mutated templates parse, check and render, or fail with a position")
    func templates() throws {
        let path = "Templates/fuzz.md"
        let context = TemplateValue.object(NewsletterContext.specimen())
        var partials: [String: Template] = [:]
        for name in ["announce-text", "announce-linkedin"] {
            let source = try String(contentsOf: Self.corpus.appendingPathComponent("templates/\(name).md"), encoding: .utf8)
            partials[name] = try Template(parsing: source, path: "Templates/\(name).md")
        }
        var mutator = FuzzMutator(corpus: try Self.seeds("templates"), seed: Self.seed)
        for iteration in 0..<Self.iterations {
            let source = String(decoding: mutator.next(), as: UTF8.self)
            let lines = Self.lineCount(source)
            let template: Template
            do {
                template = try Template(parsing: source, path: path)
            } catch {
                Self.expectPositioned(error, path: path, lines: lines, iteration)
                continue
            }
            var withSelf = partials
            withSelf["self"] = template
            for problem in template.unknownNames(in: context, partials: withSelf) where problem.position?.path == path {
                Self.expectPositioned(problem, path: path, lines: lines, iteration)
            }
            do {
                let markdown = try template.render(context, partials: withSelf, escaping: .markdown, strict: false)
                let document = MarkdownDocument(markdown)
                _ = document.html(styled: true)
                _ = document.plainText(width: 72)
            } catch let diagnostic as Diagnostic {
                #expect(diagnostic.position != nil, "iteration \(iteration): \(diagnostic)")
            }
        }
    }

    @Test("mutated Markdown renders, and nesting too deep is reported at its place")
    func markdown() throws {
        let origin = SourcePosition(path: "Events/fuzz.md", line: 10, column: 1)
        var mutator = FuzzMutator(corpus: try Self.seeds("markdown"), seed: Self.seed ^ 0xA5A5)
        for iteration in 0..<Self.iterations {
            let markdown = String(decoding: mutator.next(), as: UTF8.self)
            let document = MarkdownDocument(markdown)
            _ = document.html(styled: true)
            _ = document.plainText(width: 72)
            _ = document.plainText(width: nil)
            guard let problem = document.nestingProblem(from: origin) else {
                #expect(document.tooDeep == nil)
                continue
            }
            let position = try #require(problem.position, "iteration \(iteration)")
            #expect(position.path == origin.path)
            #expect((origin.line..<(origin.line + Self.lineCount(markdown))).contains(position.line), "iteration \(iteration): \(problem)")
            #expect(position.column >= 1, "iteration \(iteration): \(problem)")
        }
    }
}
