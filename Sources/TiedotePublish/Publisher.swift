import Foundation
import TiedoteCore
import TiedoteExport

/// `tiedote publish kalenteri`: brings the regional calendar in line with the events, one
/// journalled step at a time (see `PublishJournal`), so a run killed at any point and run
/// again creates no event twice.
public struct Publisher {
    /// What a run did.
    public struct Report: Sendable {
        /// One line per step taken (or, with `dryRun`, planned).
        public var lines: [String] = []
        /// Errors and warnings, at the event file's lines where there is one.
        public var diagnostics: [Diagnostic] = []
        /// Step counts by name (`created`, `updated`, …).
        public var counts: [String: Int] = [:]

        /// True when any event could not be brought in line.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

        mutating func count(_ name: String, _ line: String) {
            counts[name, default: 0] += 1
            lines.append(line)
        }
    }

    /// The export that makes each body.
    public var export: LinkedEventsExport
    /// The API, or nil for a dry run.
    public var client: LinkedEventsClient?
    /// Delete published events whose file is gone.
    public var prune: Bool
    /// The present (Unix seconds).
    public var now: Int

    /// Creates a publisher; `client` nil plans without sending anything.
    public init(settings: Settings, client: LinkedEventsClient?, prune: Bool, now: Int) {
        export = LinkedEventsExport(settings: settings, now: now)
        self.client = client
        self.prune = prune
        self.now = now
    }

    /// Publishes `events` (the chosen period); `knownIDs` are the calendar ids of every event
    /// in the workspace, to tell a file that is gone from one outside the period.
    public func run(_ events: [Event], knownIDs: Set<String>, journal: inout PublishJournal) throws -> Report {
        var report = Report()
        for event in events {
            try publish(event, journal: &journal, report: &report)
        }
        for (id, entry) in journal.entries.sorted(by: { $0.key < $1.key })
        where !knownIDs.contains(id) && entry.serverID != nil && entry.status != "deleted" {
            try gone(id, entry, journal: &journal, report: &report)
        }
        return report
    }

    /// One event's step: create, update, cancel, postpone or nothing.
    func publish(_ event: Event, journal: inout PublishJournal, report: inout Report) throws {
        var diagnostics: [Diagnostic] = []
        let entry = export.entry(for: event, diagnostics: &diagnostics)
        report.diagnostics += diagnostics
        guard let entry, !diagnostics.contains(where: { $0.severity == .error }) else { return }
        let object = export.object(entry)
        let digest = ContentDigest.of(PublishBody.create(object))
        let id = event.calendarID
        if journal.entries[id]?.serverID == nil, journal.entries[id]?.pendingIntent != nil, let client {
            // A create whose answer never arrived: the calendar may have the event already.
            if let found = reconcile(entry, client: client) {
                try journal.record("created", id: id, serverID: found, digest: journal.entries[id]?.pendingIntent ?? "", at: now)
                report.lines.append("found \(event.id) in the calendar as \(found) (its create had not been journalled)")
            }
        }
        let state = journal.entries[id]
        if EventTimes.isPast(event, now: now) {
            if state?.digest != digest || state?.status != event.status.rawValue {
                report.diagnostics.append(.warning(event.position(of: event.end == nil ? "start" : "end"),
                    "'\(event.id)' is over; the regional calendar takes no new or changed events that have ended: left as it is"))
            }
            return
        }
        guard let serverID = state?.serverID else {
            switch event.status {
            case .scheduled: try create(event, entry, object, digest, journal: &journal, report: &report)
            case .cancelled: report.count("skipped", "skipped \(event.id): cancelled, never published")
            case .postponed:
                report.diagnostics.append(.warning(event.position(of: "status"),
                    "'\(event.id)' is postponed and was never published; the calendar lets no client create a postponed event: publish it when it has a new time"))
            }
            return
        }
        try change(event, object, digest, serverID: serverID, state: state, journal: &journal, report: &report)
    }

    /// A published event: the PUT its new state needs, if any.
    func change(
        _ event: Event, _ object: JSONValue, _ digest: String, serverID: String, state: PublishJournal.Entry?,
        journal: inout PublishJournal, report: inout Report
    ) throws {
        let published = state?.status ?? "scheduled"
        let step: (action: String, body: String)
        switch event.status {
        case .scheduled where published == "cancelled":
            report.diagnostics.append(.warning(event.position(of: "status"),
                "'\(event.id)' was cancelled in the calendar, which never schedules a cancelled event again: give the event a new id: to publish it anew"))
            return
        case .scheduled:
            guard state?.digest != digest || published == "postponed" else {
                report.counts["unchanged", default: 0] += 1
                return
            }
            step = ("updated", PublishBody.update(object))
        case .cancelled:
            guard published != "cancelled" else {
                report.counts["unchanged", default: 0] += 1
                return
            }
            step = ("cancelled", PublishBody.cancel(object))
        case .postponed:
            guard published != "postponed" else {
                report.counts["unchanged", default: 0] += 1
                return
            }
            step = ("postponed", PublishBody.postpone(object))
        }
        guard let client else {
            report.count(step.action, "would \(Self.verb(step.action)) \(event.id) (\(serverID))")
            return
        }
        switch client.update(serverID, step.body) {
        case .success:
            try journal.record(step.action, id: event.calendarID, serverID: serverID, digest: digest, at: now)
            report.count(step.action, "\(step.action) \(event.id) (\(serverID))")
        case let .refused(status, errors):
            report.diagnostics += Self.refusal(status, errors, event: event)
        case let .unavailable(reason):
            report.diagnostics.append(.error(event.position(of: ""), "\(reason): '\(event.id)' was not \(step.action); run the command again later"))
        case let .failed(reason):
            throw Self.stop(reason)
        }
    }

    /// A new event: the intent is journalled before the POST, the server id after it.
    func create(
        _ event: Event, _ entry: LinkedEventsExport.Entry, _ object: JSONValue, _ digest: String,
        journal: inout PublishJournal, report: inout Report
    ) throws {
        let id = event.calendarID
        guard let client else {
            report.count("created", "would create \(event.id)")
            return
        }
        try journal.record("intent", id: id, serverID: nil, digest: digest, at: now)
        var reason = ""
        for attempt in 0..<client.attempts {
            if attempt > 0 {
                Thread.sleep(forTimeInterval: client.backOff * Double(1 << (attempt - 1)))
                // The last POST may have reached the calendar before its answer was lost.
                if let found = reconcile(entry, client: client) {
                    try journal.record("created", id: id, serverID: found, digest: digest, at: now)
                    report.count("created", "created \(event.id) as \(found) (found after an unanswered request)")
                    return
                }
            }
            switch client.create(PublishBody.create(object)) {
            case let .success(_, body):
                guard let serverID = LinkedEventsClient.createdID(body) else {
                    throw PublishError("the calendar created '\(event.id)' but gave no id; run again to find it by name and time")
                }
                try journal.record("created", id: id, serverID: serverID, digest: digest, at: now)
                report.count("created", "created \(event.id) as \(serverID)")
                return
            case let .refused(status, errors):
                try journal.record("abandoned", id: id, serverID: nil, digest: digest, at: now)
                report.diagnostics += Self.refusal(status, errors, event: event)
                return
            case let .unavailable(text):
                reason = text
            case let .failed(text):
                throw Self.stop(text)
            }
        }
        report.diagnostics.append(.error(event.position(of: ""),
            "\(reason): '\(event.id)' was not created; run the command again later (it will look for the event before creating it)"))
    }

    /// The calendar's id of an event with this entry's name and start, if it has one.
    func reconcile(_ entry: LinkedEventsExport.Entry, client: LinkedEventsClient) -> String? {
        let event = entry.event
        guard let found = client.search(name: event.title, day: event.start.date) else { return nil }
        return found.first { $0.name == event.title && Self.sameStart($0.start, event.start) }?.id
    }

    /// A published event whose file is gone: reported, or deleted with `--prune`.
    func gone(_ id: String, _ entry: PublishJournal.Entry, journal: inout PublishJournal, report: inout Report) throws {
        let serverID = entry.serverID ?? ""
        guard prune else {
            report.diagnostics.append(.warning(nil,
                "event '\(id)' is published as \(serverID), but no event file has this id any more: run with --prune to delete it from the calendar"))
            return
        }
        guard let client else {
            report.count("deleted", "would delete \(id) (\(serverID))")
            return
        }
        switch client.delete(serverID) {
        case .success, .refused(404, _), .refused(410, _):
            try journal.record("deleted", id: id, serverID: serverID, digest: entry.digest, at: now)
            report.count("deleted", "deleted \(id) (\(serverID))")
        case let .refused(status, errors):
            report.diagnostics.append(.error(nil, "the calendar refused to delete \(serverID) (\(status)): \(errors.map(\.message).joined(separator: "; "))"))
        case let .unavailable(reason):
            report.diagnostics.append(.error(nil, "\(reason): \(serverID) was not deleted; run the command again later"))
        case let .failed(reason):
            throw Self.stop(reason)
        }
    }

    /// A failure no retry mends (TLS, a malformed address): the run stops at once.
    static func stop(_ reason: String) -> PublishError {
        PublishError("cannot talk to the calendar: \(reason); check exports.kalenteri.api_url and the server's certificate")
    }

    static func verb(_ action: String) -> String {
        ["updated": "update", "cancelled": "cancel", "postponed": "postpone"][action] ?? action
    }
}
