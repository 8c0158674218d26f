import Foundation

/// A secret (SMTP password, unsubscribe signing key) read from where `tiedote.yml` says:
/// an environment variable first, then a file. Never from the command line; never printed.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret's bytes as text, trailing newline removed.
    public let value: String

    /// Wraps a value.
    public init(_ value: String) { self.value = value }

    /// Reads the secret from environment variable `env`, else from `file` (relative paths are
    /// inside `workspace`); nil when neither is set or present.
    public static func read(
        env: String?, file: String?, workspace: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Secret? {
        if let env, let value = environment[env], !value.isEmpty {
            return Secret(value)
        }
        guard let file else { return nil }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : workspace.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try Data(contentsOf: url)
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text.isEmpty ? nil : Secret(text)
    }

    /// Redacted, so that a secret never reaches output or logs by accident.
    public var description: String { "<secret>" }

    /// Redacted.
    public var debugDescription: String { "<secret>" }
}
