import TiedoteCore

/// What an export did: the files it wrote and, per event, the problems it found.
///
/// An event with an error is left out of the files; the others are written all the same, and
/// `hasErrors` tells the caller to exit non-zero.
public struct ExportReport: Sendable, Hashable {
    /// The checked events, in the order they were given.
    public var checks: [EventCheck]
    /// The files, made from the events that passed.
    public var files: [ExportFile]

    /// Creates a report.
    public init(checks: [EventCheck], files: [ExportFile]) {
        self.checks = checks
        self.files = files
    }

    /// Every problem, event by event.
    public var diagnostics: [Diagnostic] { checks.flatMap(\.diagnostics) }

    /// The ids of the events in the files.
    public var exported: [String] { checks.filter { $0.passed && !$0.skipped }.map(\.eventID) }

    /// The ids of the events the target leaves out on purpose (with a warning).
    public var skipped: [String] { checks.filter(\.skipped).map(\.eventID) }

    /// The ids of the events left out because of an error.
    public var leftOut: [String] { checks.filter { !$0.passed }.map(\.eventID) }

    /// True when any event was left out.
    public var hasErrors: Bool { checks.contains { !$0.passed } }
}

/// One event's result against one target's rules.
public struct EventCheck: Sendable, Hashable {
    /// The event's id.
    public var eventID: String
    /// Errors (the event is left out) and warnings (it is written anyway).
    public var diagnostics: [Diagnostic]
    /// True when the target left the event out on purpose (not an error).
    public var skipped: Bool

    /// Creates a result.
    public init(eventID: String, diagnostics: [Diagnostic], skipped: Bool = false) {
        self.eventID = eventID
        self.diagnostics = diagnostics
        self.skipped = skipped
    }

    /// True when no diagnostic is an error.
    public var passed: Bool { !diagnostics.contains { $0.severity == .error } }
}
