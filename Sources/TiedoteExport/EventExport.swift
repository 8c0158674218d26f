import TiedoteCore
import TiedoteRender

/// One export target: how an event becomes an entry, and how entries become files.
///
/// Checking and converting are one step (`entry(for:diagnostics:)`), so a rule is written
/// once and the value it checks is the value that gets written.
public protocol EventExport: Sendable {
    /// One event in the target's terms.
    associatedtype Entry: Sendable

    /// Converts an event, adding a diagnostic for each broken rule; nil when it cannot be
    /// converted. An entry that comes with an error diagnostic is left out too.
    func entry(for event: Event, diagnostics: inout [Diagnostic]) -> Entry?

    /// The files for the entries that passed, in the events' order.
    func files(for entries: [Entry]) -> [ExportFile]

    /// A warning when the target leaves `event` out on purpose (it is over, or cancelled
    /// before it was ever sent); nil to convert it.
    func exclusion(for event: Event) -> Diagnostic?
}

extension EventExport {
    /// Every event is converted unless the target says otherwise.
    public func exclusion(for event: Event) -> Diagnostic? { nil }
}

extension EventExport {
    /// Checks every event, then writes the ones that passed.
    public func export(_ events: [Event]) -> ExportReport {
        var checks: [EventCheck] = []
        var entries: [Entry] = []
        for event in events {
            // A description nesting deeper than the renderers go is left out before any
            // target renders it.
            if let problem = MarkdownNesting.problem(in: event) {
                checks.append(EventCheck(eventID: event.id, diagnostics: [problem]))
                continue
            }
            if let reason = exclusion(for: event) {
                checks.append(EventCheck(eventID: event.id, diagnostics: [reason], skipped: true))
                continue
            }
            var diagnostics: [Diagnostic] = []
            let entry = self.entry(for: event, diagnostics: &diagnostics)
            if entry == nil && !diagnostics.contains(where: { $0.severity == .error }) {
                diagnostics.append(.error(event.position(of: ""), "event '\(event.id)' could not be exported"))
            }
            let check = EventCheck(eventID: event.id, diagnostics: diagnostics)
            if check.passed, let entry { entries.append(entry) }
            checks.append(check)
        }
        return ExportReport(checks: checks, files: files(for: entries))
    }
}
