import Foundation
import Testing
@testable import TiedoteCLI

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
}
