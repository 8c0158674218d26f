import TiedoteCore

/// What the iCalendar feed last said about each event, kept in `Sent/calendar.state`, so that
/// `SEQUENCE` rises when the time, place or status changes and `DTSTAMP`/`LAST-MODIFIED` move
/// only when the event does.
///
/// Nothing here reads the clock or file times: an event the state has never seen gets
/// sequence 0 and the fixed stamp `unknownStamp`, so two fresh copies of the same workspace
/// give byte-identical feeds. A later change raises the sequence (schedule changes) or only
/// the stamp (other text), with the time of the export that saw it, and that is recorded, so
/// the next export (or a copy of the workspace) says the same.
public struct CalendarRevisions: Sendable, Hashable {
    /// One event's last revision.
    public struct Revision: Sendable, Hashable {
        /// `SEQUENCE`.
        public var sequence: Int
        /// Digest of start, end, place and status.
        public var schedule: String
        /// Digest of every other property.
        public var content: String
        /// `DTSTAMP` and `LAST-MODIFIED` (Unix seconds).
        public var stamp: Int
    }

    /// The stamp of a revision whose time is unknown (1970-01-01T00:00:00Z).
    public static let unknownStamp = 0
    /// The state file, relative to the workspace.
    public static let path = "Sent/calendar.state"
    static let header = "# tiedote calendar revisions v1: uid, sequence, schedule digest, content digest, stamp"

    /// Revisions by calendar id (the event's `id:` or file name).
    public var revisions: [String: Revision]

    /// Creates a state.
    public init(revisions: [String: Revision] = [:]) { self.revisions = revisions }

    /// Reads the state file's text; unreadable lines are skipped (they only cost a sequence).
    public init(parsing text: String) {
        var revisions: [String: Revision] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let sequence = Int(fields[1]), let stamp = Int(fields[4]) else { continue }
            revisions[fields[0]] = Revision(sequence: sequence, schedule: fields[2], content: fields[3], stamp: stamp)
        }
        self.revisions = revisions
    }

    /// The state file's text, one line per event in id order.
    public var serialized: String {
        var lines = [Self.header]
        for (id, revision) in revisions.sorted(by: { $0.key < $1.key }) {
            lines.append("\(id)\t\(revision.sequence)\t\(revision.schedule)\t\(revision.content)\t\(revision.stamp)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The revision for an event whose feed values digest to `schedule` and `content`:
    /// unchanged keeps the record, a schedule change raises the sequence, any change takes
    /// `now` as its stamp (never going back in time).
    public mutating func revise(_ id: String, schedule: String, content: String, now: Int) -> Revision {
        guard let previous = revisions[id] else {
            let first = Revision(sequence: 0, schedule: schedule, content: content, stamp: Self.unknownStamp)
            revisions[id] = first
            return first
        }
        if previous.schedule == schedule && previous.content == content { return previous }
        let next = Revision(
            sequence: previous.sequence + (previous.schedule == schedule ? 0 : 1), schedule: schedule,
            content: content, stamp: max(now, previous.stamp + 1))
        revisions[id] = next
        return next
    }
}
