import Foundation
import TiedoteCore
import TiedoteAudience

/// One line of the report: what one message said about one address and what was done.
public struct InboxRow: Sendable, Hashable {
    /// File name or IMAP UID.
    public var source: String
    /// The address, or empty.
    public var address: String
    /// The kind.
    public var kind: Finding.Kind
    /// What was done (`suppressed`, `counted 1/3`, `not-on-list`, `none`, `would-suppress`…).
    public var action: String

    /// The CSV header.
    public static let columns = ["source", "address", "kind", "action"]

    /// Creates a row.
    public init(source: String, address: String, kind: Finding.Kind, action: String) {
        self.source = source
        self.address = address
        self.kind = kind
        self.action = action
    }
}

/// Turns findings into actions: suppress hard bounces and unsubscribes, count soft bounces
/// and suppress after the limit, never act on an address that is neither on a list nor in a
/// signed token.
public struct InboxProcessor {
    /// The workspace acted on.
    public let workspace: Workspace
    /// Its lists and tokens.
    public let audience: InboxAudience
    /// True to act on nothing.
    public let dryRun: Bool
    /// The bounce log as it grows.
    public private(set) var log: BounceLog
    let classifier: Classifier
    /// The suppression list as it grows (read once: one report may name thousands).
    private var suppressions: SuppressionSet
    /// Rows for `Lists/suppressed.csv`, written once per message.
    private var newSuppressions: [Suppression] = []

    /// Prepares a run on `workspace`.
    public init(workspace: Workspace, audience: InboxAudience, dryRun: Bool) throws {
        self.workspace = workspace
        self.audience = audience
        self.dryRun = dryRun
        log = try BounceLog(workspace: workspace)
        suppressions = try workspace.suppressions()
        classifier = Classifier(context: audience.context)
    }

    /// Classifies and acts on one message; `understood` is false when any part of it is
    /// unknown or names nobody on a list (such a message must be left as it is).
    public mutating func handle(_ message: IncomingMessage, now: Date = Date()) throws -> (rows: [InboxRow], understood: Bool) {
        let findings = classifier.classify(message.bytes)
        var rows: [InboxRow] = []
        var understood = true
        for finding in findings {
            let action = try act(on: finding, source: message.source, now: now)
            if finding.kind == .unknown || action == "not-on-list" { understood = false }
            rows.append(InboxRow(source: message.source, address: finding.address ?? "", kind: finding.kind, action: action))
        }
        // Counted first: a run stopped in between counts nothing twice and suppresses again.
        try log.write(workspace: workspace)
        try workspace.appendSuppressions(newSuppressions)
        newSuppressions = []
        return (rows, understood)
    }

    private mutating func act(on finding: Finding, source: String, now: Date) throws -> String {
        guard let address = finding.address, [.hard, .soft, .unsubscribe].contains(finding.kind) else { return "none" }
        guard finding.signed || audience.isSubscribed(address) else { return "not-on-list" }
        switch finding.kind {
        case .hard:
            _ = try record(finding, address: address, source: source, now: now)
            return try suppress(address, reason: .bounced, now: now)
        case .soft:
            var sends = log.softSends(address)
            sends.insert(try record(finding, address: address, source: source, now: now))
            let limit = workspace.settings.inbox.softBounceLimit
            guard sends.count >= limit else { return (dryRun ? "would-count" : "counted") + " \(sends.count)/\(limit)" }
            return try suppress(address, reason: .bounced, now: now)
        default:
            return try suppress(address, reason: .unsubscribed, now: now)
        }
    }

    /// Counts the bounce in `Sent/bounces.csv` (unless a dry run or already counted); returns its send.
    private mutating func record(_ finding: Finding, address: String, source: String, now: Date) throws -> String {
        let month = String(Timestamp.iso8601UTC(now).prefix(7))
        let entry = BounceLog.Entry(
            at: Timestamp.iso8601UTC(now), address: address, kind: finding.kind,
            send: finding.send ?? "unknown-\(month)", status: finding.status ?? "", source: source)
        if !dryRun, !log.contains(entry) { log.add(entry) }
        return entry.send
    }

    private mutating func suppress(_ address: String, reason: Suppression.Reason, now: Date) throws -> String {
        if suppressions.contains(address) { return "already-suppressed" }
        if dryRun { return "would-suppress" }
        if let problem = EmailAddress.validate(address) {
            throw Diagnostic.error(nil, "'\(address)' is not an address: \(problem)")
        }
        let row = Suppression(email: address, reason: reason, at: Timestamp.iso8601UTC(now))
        suppressions.insert(row)
        newSuppressions.append(row)
        return "suppressed"
    }
}
