import Foundation
import TiedoteCore

/// `tiedote forget ADDRESS`: GDPR erasure of one address from the whole workspace.
///
/// - Every CSV under `Lists/` and `out/` loses the rows that hold the address (rewritten
///   atomically); `suppressed.csv` keeps only a `forgotten` row with `sha256:SALT:HEX`.
/// - Files under `Sent/` (delivery journals) get the address replaced, as plain text, by
///   that same hash, so a journal still counts the delivery without naming the person.
/// - Other files under `out/` that hold the address (outbox messages) are deleted: they are
///   generated and safe to delete.
/// - Any other file that still holds it (events, templates: the user's own) is reported, not
///   edited, with its line and column.
public enum Erasure {
    /// What `forget` changed and what it could not.
    public struct Report: Sendable {
        /// The `sha256:SALT:HEX` stored in place of the address.
        public var hash: String
        /// CSV files rows were removed from, with how many rows each.
        public var removedRows: [(path: String, rows: Int)] = []
        /// Journals where the address was replaced by the hash.
        public var rewrittenJournals: [String] = []
        /// Generated files deleted because they held the address.
        public var deletedFiles: [String] = []
        /// Where the address still appears, in files Tiedote does not own.
        public var remaining: [Diagnostic] = []
    }

    /// Erases `address` from `workspace`.
    public static func forget(_ address: String, in workspace: Workspace, at date: Date = Date()) throws -> Report {
        let written = Subscriber.key(address)
        guard !written.isEmpty, written.contains("@"), !written.contains("\n"), !written.contains("\r") else {
            throw Diagnostic.error(nil, "'\(address)' is not an address; give the address to forget, e.g. aino@example.fi")
        }
        // Lists hold a non-ASCII domain in ASCII form; journals or user files may hold either.
        let keys = Array(Set([written, SuppressionSet.key(written)])).sorted()
        // A running send appends to its journal; rewriting it under the send would lose the
        // send's records. The journals stay locked until the rewrite is done.
        let locks = try lockJournals(in: workspace)
        defer { locks.forEach { descriptor in close(descriptor) } }
        let hash = SuppressionSet.hashWithNewSalt(written)
        var report = Report(hash: hash)
        // Suppress first: if anything below fails, the address is at least never mailed again.
        try workspace.appendSuppression(Suppression(email: hash, reason: .forgotten, at: Timestamp.iso8601UTC(date)))

        let files = FileManager.default
        for relative in try workspaceFiles(workspace.root) {
            let url = workspace.url(relative)
            guard let data = files.contents(atPath: url.path), !data.contains(0) else { continue }
            let (text, encoding) = CSV.decode(data)
            guard keys.contains(where: { AddressMatch.contains($0, in: text) }) else { continue }
            let shown = workspace.displayPath(relative)
            let top = relative.split(separator: "/").first.map(String.init) ?? ""
            if (top == Workspace.Folder.lists || top == Workspace.Folder.out) && relative.hasSuffix(".csv") {
                let (kept, removed) = withoutRows(holding: keys, in: text)
                var output = Data(encoding == .utf8WithBOM ? [0xEF, 0xBB, 0xBF] : [])
                output.append(Data(kept.utf8))
                try AtomicFile.write(output, to: url)
                report.removedRows.append((shown, removed))
            } else if top == Workspace.Folder.sent {
                let replaced = keys.reduce(text) { AddressMatch.replacing($1, with: hash, in: $0) }
                try AtomicFile.write(Data(replaced.utf8), to: url)
                report.rewrittenJournals.append(shown)
            } else if top == Workspace.Folder.out {
                try files.removeItem(at: url)
                report.deletedFiles.append(shown)
            } else {
                for key in keys { report.remaining.append(contentsOf: occurrences(of: key, in: text, path: shown)) }
            }
        }
        return report
    }

    /// Takes the lock each delivery journal's send holds (see `Journal`), or says which send
    /// is running.
    static func lockJournals(in workspace: Workspace) throws -> [Int32] {
        let folder = workspace.url(Workspace.Folder.sent)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".journal") }.sorted()
        var locked: [Int32] = []
        for name in names {
            let descriptor = open(folder.appendingPathComponent(name).path, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            locked.append(descriptor)
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                locked.forEach { close($0) }
                throw Diagnostic.error(SourcePosition(path: workspace.displayPath("\(Workspace.Folder.sent)/\(name)")),
                    "a send is running (its journal is in use): run forget again when it has finished")
            }
        }
        return locked
    }

    /// The text without the CSV records that have one of `keys` in any field, and how many
    /// went. Other records are written back as they were read; a file that does not parse
    /// loses whole lines instead.
    static func withoutRows(holding keys: [String], in text: String) -> (String, Int) {
        let separator = CSV.detectSeparator(in: text)
        let lineEnd = text.contains("\r\n") ? "\r\n" : "\n"
        let holds = { (field: String) in keys.contains { AddressMatch.contains($0, in: field) } }
        if let records = try? CSV.records(text, separator: separator) {
            let kept = records.filter { !$0.fields.contains(where: holds) }
            return (CSV.text(kept.map(\.fields), separator: separator, lineEnd: lineEnd), records.count - kept.count)
        }
        let lines = text.components(separatedBy: lineEnd)
        let kept = lines.filter { !holds($0) }
        return (kept.joined(separator: lineEnd), lines.count - kept.count)
    }

    /// Each place `key` appears in `text`, as a warning that says to remove it by hand.
    static func occurrences(of key: String, in text: String, path: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            for range in AddressMatch.ranges(of: key, in: line) {
                let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                result.append(.warning(
                    SourcePosition(path: path, line: index + 1, column: column),
                    "the forgotten address still appears here; this file is yours, so remove it by hand"))
            }
        }
        return result
    }

    /// Every regular file of the workspace, relative to it, skipping hidden files and folders
    /// (`.git`, `.build`): their history is not the workspace's to rewrite.
    static func workspaceFiles(_ root: URL) throws -> [String] {
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(
            at: root.standardizedFileURL.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey],
            options: [.skipsHiddenFiles])
        else { return [] }
        var result: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(rootPath + "/") else { continue }
            result.append(String(path.dropFirst(rootPath.count + 1)))
        }
        return result.sorted()
    }
}
