import Foundation
import TiedoteCore

/// `Sent/bounces.csv`: every hard and soft bounce `tiedote inbox` has counted, so soft bounces
/// add up across runs and `status` can show the figures. Appended to, never rewritten.
public struct BounceLog: Sendable {
    /// One counted bounce.
    public struct Entry: Sendable, Hashable {
        /// When it was counted (ISO 8601, UTC).
        public var at: String
        /// The address, lower-cased.
        public var address: String
        /// `hard` or `soft`.
        public var kind: Finding.Kind
        /// The send it bounced from (`2026-12/members`), or `unknown-YYYY-MM` when the bounce
        /// does not say (counted as that month's send).
        public var send: String
        /// The status code, when given.
        public var status: String
        /// Where the bounce came from (file name or IMAP UID).
        public var source: String

        /// Creates an entry.
        public init(at: String, address: String, kind: Finding.Kind, send: String, status: String, source: String) {
            self.at = at
            self.address = address
            self.kind = kind
            self.send = send
            self.status = status
            self.source = source
        }
    }

    /// The file's path inside the workspace.
    public static let path = "Sent/bounces.csv"
    /// The header row.
    public static let columns = ["at", "address", "kind", "send", "status", "source"]

    /// The entries read.
    public private(set) var entries: [Entry] = []

    /// Reads the log of `workspace` (empty when there is none yet).
    public init(workspace: Workspace) throws {
        let url = workspace.url(Self.path)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        for record in try CSV.records(text, separator: .comma).dropFirst() where record.fields.count == Self.columns.count {
            let fields = record.fields
            guard let kind = Finding.Kind(rawValue: fields[2]) else { continue }
            entries.append(Entry(at: fields[0], address: fields[1], kind: kind, send: fields[3], status: fields[4], source: fields[5]))
        }
    }

    /// Creates an empty log (for tests).
    public init(entries: [Entry] = []) { self.entries = entries }

    /// The different sends `address` has soft-bounced from.
    public func softSends(_ address: String) -> Set<String> {
        Set(entries.filter { $0.address == address && $0.kind == .soft }.map(\.send))
    }

    /// True when this bounce (address, kind, send) is already counted.
    public func contains(_ entry: Entry) -> Bool {
        entries.contains { $0.address == entry.address && $0.kind == entry.kind && $0.send == entry.send && $0.source == entry.source }
    }

    /// Appends `entry` to the file of `workspace` (flushed to disk) and to this log.
    public mutating func append(_ entry: Entry, workspace: Workspace) throws {
        let fields = [entry.at, entry.address, entry.kind.rawValue, entry.send, entry.status, entry.source]
        try FileManager.default.createDirectory(at: workspace.url("Sent"), withIntermediateDirectories: true)
        try AtomicFile.append(
            Data((CSV.line(fields) + "\n").utf8), to: workspace.url(Self.path),
            header: Data((CSV.line(Self.columns) + "\n").utf8))
        entries.append(entry)
    }

    /// Counts for a send (`2026-12/members`), or for every send when nil: addresses that
    /// bounced hard and soft.
    public func figures(send: String? = nil) -> (hard: Int, soft: Int) {
        let chosen = entries.filter { send == nil || $0.send == send }
        return (Set(chosen.filter { $0.kind == .hard }.map(\.address)).count,
                Set(chosen.filter { $0.kind == .soft }.map(\.address)).count)
    }
}
