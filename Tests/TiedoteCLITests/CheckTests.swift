import Foundation
import Testing
import TiedoteCore
@testable import TiedoteCLI

/// `check` on a workspace seeded with one error of each kind finds each of them, at the right
/// file, line and column, and nothing else.
struct CheckTests {
    struct Expected: Decodable, Hashable, CustomStringConvertible {
        let path: String
        let line: Int
        let column: Int
        let kind: String
        var description: String { "\(path):\(line):\(column) (\(kind))" }
    }

    /// This target's own fixtures, read in place (the broken workspace's paths are part of
    /// what is checked, so it is not copied into a bundle).
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func brokenWorkspaceReportsEveryErrorWhereItIs() throws {
        let root = Self.fixtures.appendingPathComponent("broken")
        let data = try Data(contentsOf: root.appendingPathComponent("expected.json"))
        let expected = try JSONDecoder().decode([Expected].self, from: data)
        let prefix = DisplayPathForTest.prefix(of: root)

        let errors = WorkspaceCheck.run(at: root).diagnostics.filter { $0.severity == .error }
        let found = Set(errors.compactMap { error in
            error.position.map { "\($0.path.dropFirst(prefix.count)):\($0.line):\($0.column)" }
        })
        for item in expected {
            #expect(found.contains("\(item.path):\(item.line):\(item.column)"), "not reported: \(item)\nreported:\n\(errors.map(\.description).joined(separator: "\n"))")
        }
        #expect(errors.count == expected.count, "\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func sampleWorkspaceIsClean() throws {
        let root = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let report = WorkspaceCheck.run(at: root)
        #expect(report.diagnostics.filter { $0.severity == .error } == [])
    }
}

/// How `check` prefixes paths for a workspace that is not the current folder.
enum DisplayPathForTest {
    static func prefix(of root: URL) -> String {
        let current = FileManager.default.currentDirectoryPath
        let path = root.standardizedFileURL.path
        return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) + "/" : path + "/"
    }
}
