import Foundation
import Testing

@testable import TiedoteRender

/// One case of the official Mustache spec.
struct MustacheSpecCase: Sendable, CustomTestStringConvertible {
    var file: String
    var name: String
    var template: String
    var data: TemplateValue
    var partials: [String: String]
    var expected: String

    var testDescription: String { "\(file): \(name)" }
}

/// Decodes the spec's JSON data into template values; numbers become their decimal text.
private struct SpecValue: Decodable {
    var value: TemplateValue

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            value = .string(String(integer))
        } else if let number = try? container.decode(Double.self) {
            value = .string(String(number))
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let items = try? container.decode([SpecValue].self) {
            value = .list(items.map(\.value))
        } else {
            value = .object(try container.decode([String: SpecValue].self).mapValues(\.value))
        }
    }
}

private struct SpecFile: Decodable {
    struct Test: Decodable {
        var name: String
        var template: String
        var data: SpecValue
        var partials: [String: String]?
        var expected: String
    }
    var tests: [Test]
}

enum MustacheSpec {
    static let files = ["interpolation", "sections", "inverted", "comments", "partials", "delimiters"]

    static func load() throws -> [MustacheSpecCase] {
        try files.flatMap { file -> [MustacheSpecCase] in
            let url = try #require(
                Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures/mustache-spec"))
            let spec = try JSONDecoder().decode(SpecFile.self, from: Data(contentsOf: url))
            return spec.tests.map {
                MustacheSpecCase(
                    file: file, name: $0.name, template: $0.template, data: $0.data.value,
                    partials: $0.partials ?? [:], expected: $0.expected)
            }
        }
    }

    static let cases: [MustacheSpecCase] = (try? load()) ?? []
}

@Suite("Mustache spec")
struct MustacheSpecTests {
    @Test("all six spec files are loaded")
    func loaded() throws {
        let cases = try MustacheSpec.load()
        #expect(cases.count == 31 + 26 + 21 + 11 + 11 + 14)
    }

    @Test("spec case", arguments: MustacheSpec.cases)
    func specCase(_ spec: MustacheSpecCase) throws {
        let template = try Template(parsing: spec.template, path: "\(spec.file).mustache")
        var partials: [String: Template] = [:]
        for (name, source) in spec.partials {
            partials[name] = try Template(parsing: source, path: "\(name).mustache")
        }
        let output = try template.render(spec.data, partials: partials, escaping: .html, strict: false)
        #expect(output == spec.expected)
    }
}
