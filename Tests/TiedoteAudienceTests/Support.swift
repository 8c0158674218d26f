import Foundation
import TiedoteCore

/// Fixture files and throw-away workspaces for the tests.
enum Fixture {
    /// A file in `Fixtures/`.
    static func url(_ name: String) throws -> URL {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError.missing("Fixtures")
        }
        return folder.appendingPathComponent(name)
    }

    /// The bytes of a fixture file.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: try url(name))
    }

    /// A fresh copy of `Fixtures/workspace` in a temporary folder, loaded.
    static func workspace() throws -> Workspace {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("tiedote-audience-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try url("workspace"), to: target)
        return try Workspace.load(at: target)
    }

    enum FixtureError: Error { case missing(String) }
}

extension Workspace {
    /// A workspace file's text.
    func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }
}
