import Foundation
import Testing
@testable import TiedoteCLI
import TiedoteCore

struct InitTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The templates `init` hands out are the sample workspace's, byte for byte.
    @Test func starterTemplatesEqualTheSample() throws {
        let sample = Self.repository.appendingPathComponent("Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: sample.path).filter { !$0.hasPrefix(".") }.sorted()
        let starter = try Starter.templates()
        #expect(starter.map(\.0) == names)
        for (name, data) in starter {
            #expect(data == (try Data(contentsOf: sample.appendingPathComponent(name))), "\(name) differs from Templates/\(name): copy it to Sources/TiedoteCLI/Starter/Templates")
        }
    }

    /// A fresh workspace passes `check` and composes its example issue.
    @Test func freshWorkspaceChecksClean() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let written = try Starter.write(into: root)
        #expect(written.contains("tiedote.yml") && written.contains("Templates/newsletter.md"))
        let report = WorkspaceCheck.run(at: root)
        #expect(report.diagnostics == [])
        #expect(try Starter.write(into: root) == [], "a second init overwrites nothing")
        let secret = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(".tiedote-secret").path)
        #expect((secret[.posixPermissions] as? NSNumber)?.intValue == 0o600, "the signing secret is private")
    }

    /// The starter's commented relay examples, uncommented as its comment says, are valid
    /// settings with the limits they show (so the example cannot drift from what `check` takes).
    @Test func starterRelayExamplesParseOnceUncommented() throws {
        let single = try Settings.parse(Self.uncommenting(from: "  # smtp:", before: "  # Several relays"))
        #expect(single.delivery.transport == .smtp)
        #expect(single.delivery.relays.count == 1)
        #expect(single.delivery.smtp?.connections == 4 && single.delivery.smtp?.ratePerMinute == 300)
        #expect(single.delivery.smtp?.messagesPerConnection == 100)
        let several = try Settings.parse(Self.uncommenting(from: "  # relays:", before: "\n\nlists:"))
        #expect(several.delivery.relays.map(\.displayName) == ["oma", "palveluntarjoaja"])
        #expect(several.delivery.relays[1].connections == 2)
    }

    /// The starter settings with `transport: smtp` and each line's leading comment marker taken
    /// off from `start` up to `end`, as a person would (the comments after values stay).
    static func uncommenting(from start: String, before end: String) throws -> String {
        let text = Starter.settings.replacingOccurrences(of: "transport: outbox", with: "transport: smtp")
        let from = try #require(text.range(of: start))
        let to = try #require(text.range(of: end, range: from.upperBound..<text.endIndex))
        let lines = text[from.lowerBound..<to.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  # ") ? "  " + line.dropFirst(4) : String(line)
        }
        return text[..<from.lowerBound] + lines.joined(separator: "\n") + text[to.lowerBound...]
    }
}
