import TiedoteCore
import Foundation

extension Workspace {
    /// The names of the mailing lists: `Lists/*.csv` except `suppressed.csv`, sorted.
    public func listNames() throws -> [String] {
        let folder = url(Folder.lists)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") && $0 != "suppressed.csv" }
            .map { String($0.dropLast(4)) }
            .sorted()
    }

    /// The workspace-relative path of list `name`'s file (`Lists/members.csv`).
    public static func listPath(_ name: String) -> String { "\(Folder.lists)/\(name).csv" }

    /// Every subscriber of list `name`, in file order; throws `Diagnostics` naming each bad row.
    public func subscribers(list name: String) throws -> [Subscriber] {
        var result: [Subscriber] = []
        try forEachSubscriber(list: name) { result.append($0) }
        return result
    }

    /// Hands each valid subscriber of list `name` to `body` without holding the whole list.
    ///
    /// Invalid rows are skipped and thrown together as `Diagnostics` after the last row; run
    /// `checkLists()` first when nothing may be done with a list that has bad rows.
    ///
    /// With `checkingDuplicates` false (a second read of a list already checked, by a reader
    /// that skips repeats itself) no table of addresses is kept and a repeated row is handed over.
    public func forEachSubscriber(
        list name: String, checkingDuplicates: Bool = true, _ body: (Subscriber) throws -> Void
    ) throws {
        try forEachSubscriber(list: name, chunkSize: 64 * 1024, checkingDuplicates: checkingDuplicates, body)
    }

    /// `forEachSubscriber(list:_:)` reading the file `chunkSize` bytes at a time: memory stays
    /// the same whatever the file's length, but for the duplicate table.
    func forEachSubscriber(
        list name: String, chunkSize: Int, checkingDuplicates: Bool = true, _ body: (Subscriber) throws -> Void
    ) throws {
        let path = Self.listPath(name)
        let file = url(path)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw Diagnostic.error(
                nil, "there is no list '\(name)' (\(path)); bring one in with "
                    + "`tiedote lists import FILE --list \(name)`")
        }
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        // The length sizes the duplicate table once; read from the open file, not the path.
        let length = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        try ListFile.read(
            path: displayPath(path), expectedBytes: Int(clamping: length), checkingDuplicates: checkingDuplicates,
            chunks: { try handle.read(upToCount: chunkSize) }, body)
    }

    /// `Lists/suppressed.csv` as a lookup set; empty when the file does not exist.
    public func suppressions() throws -> SuppressionSet {
        let path = Self.suppressionFile
        let file = url(path)
        guard FileManager.default.fileExists(atPath: file.path) else { return SuppressionSet() }
        return try SuppressionFile.read(try Data(contentsOf: file), path: displayPath(path))
    }

    /// Appends a row to `Lists/suppressed.csv` (creating it with its header) and flushes it to
    /// disk; plain addresses are stored lower-cased.
    public func appendSuppression(_ row: Suppression) throws {
        try appendSuppressions([row])
    }

    /// Appends rows to `Lists/suppressed.csv` in one write, flushed once (`tiedote inbox` may
    /// add thousands from one report).
    public func appendSuppressions(_ rows: [Suppression]) throws {
        guard !rows.isEmpty else { return }
        var text = ""
        for var row in rows {
            if !SuppressionSet.isHash(row.email) { row.email = SuppressionSet.key(row.email) }
            text += CSV.line(SuppressionFile.fields(of: row)) + "\n"
        }
        try AtomicFile.append(
            Data(text.utf8), to: url(Self.suppressionFile), header: Data((CSV.line(Suppression.columns) + "\n").utf8))
    }

    /// Every problem in the list files and the suppression list, for `tiedote check`.
    public func checkLists() -> [Diagnostic] {
        var problems = Diagnostics(linkProblems())
        _ = problems.take(Result { try suppressions() })
        let names = problems.take(Result { try listNames() }) ?? []
        for name in names {
            _ = problems.take(Result { try forEachSubscriber(list: name) { _ in } })
        }
        for name in settings.lists.keys.sorted() where !names.contains(name) {
            problems.append(.warning(
                settings.position(of: "lists.\(name)"),
                "the list '\(name)' has no file \(Self.listPath(name)); bring one in with "
                    + "`tiedote lists import FILE --list \(name)`"))
        }
        return problems.items
    }
}
