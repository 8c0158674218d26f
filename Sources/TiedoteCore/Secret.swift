import Foundation

/// A secret (SMTP password, unsubscribe signing key) read from where `tiedote.yml` says:
/// an environment variable first, then a file. Never from the command line; never printed.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret's bytes as text, trailing newline removed.
    public let value: String
    /// Where it was read from.
    public let origin: Origin

    /// Where a secret came from.
    public enum Origin: Sendable, Hashable {
        /// Made in code (tests, previews).
        case given
        /// The environment variable of this name.
        case environment(String)
        /// The file at this path, as `tiedote.yml` wrote it.
        case file(String)
    }

    /// Where it was read from, in words ("the environment variable X"); empty for `.given`.
    public var source: String {
        switch origin {
        case .given: ""
        case .environment(let name): "the environment variable \(name)"
        case .file(let path): "the file \(path)"
        }
    }

    /// The fewest bytes a signing key may have: HMAC-SHA256 keys shorter than its 32-byte
    /// output can be guessed far more cheaply than the MAC can be forged.
    public static let minimumSigningBytes = 32

    /// How to make a good signing key, for messages.
    public static let howToMakeOne = "make one with `openssl rand -hex 32 > .tiedote-secret` (and name it with secret_file: .tiedote-secret)"

    /// Wraps a value.
    public init(_ value: String, origin: Origin = .given) {
        self.value = value
        self.origin = origin
    }

    /// Why the secret is too weak to sign with, or nil: fewer than `minimumSigningBytes`
    /// bytes once white space is set aside. Never shows the secret.
    public var signingProblem: String? {
        let bytes = value.utf8.filter { !$0.isASCIISpace }.count
        guard bytes < Self.minimumSigningBytes else { return nil }
        let from = source.isEmpty ? "" : " in \(source)"
        return "the signing secret\(from) has \(bytes) byte(s) besides white space; it needs at least "
            + "\(Self.minimumSigningBytes) random bytes: \(Self.howToMakeOne)"
    }

    /// Reads the secret from environment variable `env`, else from `file` (relative paths are
    /// inside `workspace`); nil when neither is set or present.
    public static func read(
        env: String?, file: String?, workspace: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Secret? {
        if let env, let value = environment[env], !value.isEmpty {
            return Secret(value, origin: .environment(env))
        }
        guard let file else { return nil }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : workspace.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try Data(contentsOf: url)
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text.isEmpty ? nil : Secret(text, origin: .file(file))
    }

    /// Redacted, so that a secret never reaches output or logs by accident.
    public var description: String { "<secret>" }

    /// Redacted.
    public var debugDescription: String { "<secret>" }
}
