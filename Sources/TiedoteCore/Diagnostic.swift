/// One problem found in a user's input, with where it is and what to do.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// Whether this stops the command (`error`) or is only worth knowing (`warning`).
    public var severity: Severity
    /// Where the problem is; nil for problems that belong to no file.
    public var position: SourcePosition?
    /// What is wrong and, where it helps, what to do about it.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at position: SourcePosition?, _ message: String) {
        self.severity = severity
        self.position = position
        self.message = message
    }

    /// An error at `position`.
    public static func error(_ position: SourcePosition?, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: position, message)
    }

    /// A warning at `position`.
    public static func warning(_ position: SourcePosition?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: position, message)
    }

    /// `path:line:column: error: message`, or `error: message` when there is no file.
    public var description: String {
        if let position { return "\(position): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// Several problems at once: loading and checking report all of them, not just the first.
public struct Diagnostics: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order they were found.
    public var items: [Diagnostic]

    /// Creates a collection of problems.
    public init(_ items: [Diagnostic] = []) { self.items = items }

    /// True when at least one problem is an error.
    public var hasErrors: Bool { items.contains { $0.severity == .error } }

    /// One diagnostic per line.
    public var description: String { items.map(\.description).joined(separator: "\n") }

    /// Adds a problem.
    public mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    /// Adds problems.
    public mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    /// Keeps what a step threw as problems instead of stopping; nil when it threw.
    ///
    /// Takes a `Result` rather than a closure so that the step itself may append to these
    /// diagnostics: `problems.take(Result { … })`.
    public mutating func take<T>(_ result: Result<T, any Error>) -> T? {
        switch result {
        case .success(let value):
            return value
        case .failure(let diagnostic as Diagnostic):
            append(diagnostic)
        case .failure(let many as Diagnostics):
            append(contentsOf: many.items)
        case .failure(let error):
            append(.error(nil, "\(error)"))
        }
        return nil
    }

    /// Throws self when it holds any error.
    public func throwIfErrors() throws {
        if hasErrors { throw self }
    }
}
