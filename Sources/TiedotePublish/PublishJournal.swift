import Foundation
import TiedoteCore

/// `Sent/kalenteri.journal`: what the regional calendar has of each event, one line per step,
/// appended and flushed to disk before the command goes on (like the send journal).
///
/// A create is written as an `intent` line before the POST and a `created` line after the
/// answer; an `intent` with no `created` after it means the outcome is unknown (the command
/// was killed, or the connection dropped), and the next run searches the calendar before it
/// creates anything.
public struct PublishJournal: Sendable {
    /// One event's state, from its last lines.
    public struct Entry: Sendable, Hashable {
        /// The calendar's id of the event, once created.
        public var serverID: String?
        /// The digest of the body last sent.
        public var digest: String
        /// `scheduled`, `cancelled`, `postponed` or `deleted`.
        public var status: String
        /// The digest of a create whose answer never arrived.
        public var pendingIntent: String?
    }

    /// The journal file, relative to the workspace.
    public static let path = "Sent/kalenteri.journal"

    /// Where the file is.
    public let url: URL
    /// Each event's state by calendar id.
    public private(set) var entries: [String: Entry] = [:]

    /// Reads the journal at `url` (none yet: empty).
    public init(url: URL) throws {
        self.url = url
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            apply(line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
        }
    }

    /// Applies one line's fields: time, action, calendar id, server id (`-`), digest.
    private mutating func apply(_ fields: [String]) {
        // A torn last line (power cut mid-write) is ignored: it was never acted on.
        guard fields.count == 5 else { return }
        let (action, id, server, digest) = (fields[1], fields[2], fields[3] == "-" ? nil : fields[3], fields[4])
        var entry = entries[id] ?? Entry(serverID: nil, digest: "", status: "scheduled", pendingIntent: nil)
        switch action {
        case "intent":
            entry.pendingIntent = digest
        case "created":
            entry = Entry(serverID: server, digest: digest, status: "scheduled", pendingIntent: nil)
        case "updated", "cancelled", "postponed", "deleted":
            entry.serverID = server ?? entry.serverID
            entry.digest = digest
            entry.status = action == "updated" ? entry.status : action
        case "abandoned":
            entry.pendingIntent = nil
        default:
            return
        }
        entries[id] = entry
    }

    /// Appends one line and flushes it to disk before returning.
    public mutating func record(_ action: String, id: String, serverID: String?, digest: String, at time: Int) throws {
        let fields = [Timestamp.iso8601UTC(seconds: time), action, id, serverID ?? "-", digest]
        guard fields.allSatisfy({ !$0.contains("\t") && !$0.contains(where: \.isNewline) }) else {
            throw PublishError("the calendar answered with an id that cannot be journalled: \(serverID ?? "")")
        }
        try Self.append(Array((fields.joined(separator: "\t") + "\n").utf8), to: url)
        apply(fields)
    }

    /// Appends and fsyncs; a new file's folder is fsynced too, so the name survives a crash.
    static func append(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let existed = FileManager.default.fileExists(atPath: url.path)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PublishError("cannot open \(url.path): \(FileSync.text(errno))") }
        defer { close(fd) }
        if let code = FileSync.writeAll(fd, bytes) {
            throw PublishError("cannot write \(url.path): \(FileSync.text(code))")
        }
        guard fsync(fd) == 0 else { throw PublishError("cannot flush \(url.path): \(FileSync.text(errno))") }
        if !existed, let code = FileSync.syncDirectory(folder.path) {
            throw PublishError("cannot flush the folder of \(url.path): \(FileSync.text(code))")
        }
    }
}

/// A publish failure that stops the run, worded for the user.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
