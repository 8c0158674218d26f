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

    /// The entries read and added.
    public private(set) var entries: [Entry] = []
    /// Entries not yet written.
    private var pending: [Entry] = []
    /// What `contains` looks up: address, kind, send and source.
    private var keys: Set<[String]> = []
    /// The sends each address soft-bounced from.
    private var softSendsByAddress: [String: Set<String>] = [:]

    /// Reads the log of `workspace` (empty when there is none yet).
    public init(workspace: Workspace) throws {
        let url = workspace.url(Self.path)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        for record in try CSV.records(text, separator: .comma).dropFirst() where record.fields.count == Self.columns.count {
            let fields = record.fields
            guard let kind = Finding.Kind(rawValue: fields[2]) else { continue }
            index(Entry(at: fields[0], address: fields[1], kind: kind, send: fields[3], status: fields[4], source: fields[5]))
        }
    }

    /// Creates a log holding `entries` (for tests).
    public init(entries: [Entry] = []) { entries.forEach { index($0) } }

    private mutating func index(_ entry: Entry) {
        entries.append(entry)
        keys.insert(Self.key(entry))
        if entry.kind == .soft { softSendsByAddress[entry.address, default: []].insert(entry.send) }
    }

    private static func key(_ entry: Entry) -> [String] { [entry.address, entry.kind.rawValue, entry.send, entry.source] }

    /// The different sends `address` has soft-bounced from.
    public func softSends(_ address: String) -> Set<String> { softSendsByAddress[address] ?? [] }

    /// True when this bounce (address, kind, send, source) is already counted.
    public func contains(_ entry: Entry) -> Bool { keys.contains(Self.key(entry)) }

    /// Adds `entry`; it reaches the file with the next `write(workspace:)`.
    public mutating func add(_ entry: Entry) {
        index(entry)
        pending.append(entry)
    }

    /// Appends the entries added since the last write to the file of `workspace`, in one
    /// write flushed to disk.
    public mutating func write(workspace: Workspace) throws {
        guard !pending.isEmpty else { return }
        let text = pending.map { CSV.line([$0.at, $0.address, $0.kind.rawValue, $0.send, $0.status, $0.source]) + "\n" }.joined()
        try AtomicFile.append(
            Data(text.utf8), to: workspace.url(Self.path), header: Data((CSV.line(Self.columns) + "\n").utf8))
        pending = []
    }

    /// Counts for a send (`2026-12/members`), or for every send when nil: addresses that
    /// bounced hard and soft.
    public func figures(send: String? = nil) -> (hard: Int, soft: Int) {
        let chosen = entries.filter { send == nil || $0.send == send }
        return (Set(chosen.filter { $0.kind == .hard }.map(\.address)).count,
                Set(chosen.filter { $0.kind == .soft }.map(\.address)).count)
    }
}
