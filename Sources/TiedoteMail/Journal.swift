import Foundation
import TiedoteCore

/// The delivery journal of one send (`Sent/YYYY-MM--LIST.journal`): an append-only file with
/// one line per recipient and change of state. A recipient's `attempting` line, and every line
/// before it, is on disk before the server can take that recipient's message.
///
/// Parallel connections share one journal; their fsyncs are grouped: a thread that needs its
/// lines on disk either runs one fsync that covers every line appended so far or waits for
/// the one already running.
public final class Journal: @unchecked Sendable {
    /// The file.
    public let url: URL
    /// `url.path`, worked out once (it is not free, and every append may need it for an error).
    private let path: String
    /// What the file said when it was opened (before this run appended anything).
    public let initialState: JournalState
    private var fd: Int32
    private let condition = NSCondition()
    /// Appends whose write has returned.
    private var appended = 0
    /// Of those, the ones the last finished fsync covers.
    private var durable = 0
    /// fsyncs started so far; one runs at a time, so the running one is number `started`.
    private var started = 0
    /// fsyncs finished, successful or not (the last one's number).
    private var finished = 0
    private var syncing = false
    private var failure: MailError?
    /// The number of the fsync that failed, if one did (no later one runs).
    private var failedSync: Int?
    private var syncs = 0

    /// How many fsyncs ran (grouping makes this smaller than the number of appends).
    public var syncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return syncs
    }

    /// Appends that no fsync has covered yet.
    var appendedNotDurable: Int {
        condition.lock()
        defer { condition.unlock() }
        return appended - durable
    }

    /// `YYYY-MM--LIST.journal`.
    public static func fileName(issue: String, list: String) -> String { "\(issue)--\(list).journal" }

    /// The journal's place in a workspace.
    public static func url(workspace: URL, issue: String, list: String) -> URL {
        workspace.appendingPathComponent(Workspace.Folder.sent).appendingPathComponent(fileName(issue: issue, list: list))
    }

    /// Reads a journal without opening it for writing; an absent file is an empty journal.
    /// With `header`, a journal of another issue or list is an error that names it.
    public static func read(_ url: URL, expecting header: JournalHeader? = nil) throws -> JournalState {
        guard try checkKind(url) else { return JournalState() }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MailError(.journal, "cannot read the journal \(url.path): \(FileSync.describe(error))")
        }
        return try parse(data, expecting: header, url: url)
    }

    /// False when nothing is at `url`; throws when something other than a regular file is.
    static func checkKind(_ url: URL) throws -> Bool {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return false }
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return true }
        let what = kind == S_IFDIR ? "a folder" : kind == S_IFLNK ? "a symbolic link" : "not a regular file"
        throw Diagnostic.error(
            SourcePosition(path: Workspace.shownPath(url)),
            "the journal is \(what); a journal is a file that send writes itself: move this out of "
                + "\(Workspace.Folder.sent)/ and run the command again")
    }

    /// Folds journal bytes (a last line without its `\n` is torn and ignored), checking them
    /// against `expected` when given: the header's issue and list, or, in a journal from before
    /// headers named them, every record's Message-ID.
    static func parse(_ data: Data, expecting expected: JournalHeader?, url: URL) throws -> JournalState {
        var state = JournalState()
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let last = lines.last {
            if !last.isEmpty { state.damagedLines += 1 }
            lines.removeLast()
        }
        state.header = lines.first.flatMap(JournalHeader.init(line:))
        if let expected, let found = state.header, found != expected {
            throw expected.mismatch(url, line: 1, found: "of issue \(found.issue), list \(found.list)")
        }
        let checkIDs = expected != nil && state.header == nil
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            guard let record = JournalRecord(line: line) else {
                state.damagedLines += 1
                continue
            }
            if checkIDs, let expected, !record.messageID.isEmpty, !record.messageID.hasPrefix(expected.messageIDPrefix) {
                throw expected.mismatch(url, line: index + 1, found: "of the message \(record.messageID)")
            }
            // `forget` replaced this address by its salted hash: no recipient has that key, and
            // counting it would make `status` say the person was sent to.
            if ErasedAddress.isErased(record.key) {
                state.erased.insert(record.key)
                continue
            }
            state.apply(record)
        }
        return state
    }

    /// Opens (creating when needed) the journal for appending; only one run may hold it. With
    /// `header`, a new journal names its issue and list, and an existing one must be theirs.
    public init(url: URL, header: JournalHeader? = nil) throws {
        self.url = url
        path = url.path
        let folder = url.deletingLastPathComponent()
        if let failure = FileSync.makeFolders(folder.path) {
            throw MailError(.journal, "cannot create the folder \(failure.path) for the journal: \(FileSync.folderText(failure.code))")
        }
        _ = try Journal.checkKind(url)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MailError(.journal, "cannot open the journal \(path): \(Durable.errnoText())") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            _ = Glibc.close(fd)
            throw MailError(.journal, "another send is using \(path); wait for it to finish")
        }
        self.fd = fd
        do {
            initialState = try Journal.read(url, expecting: header)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        // A line torn by a crash gets its own line end, so the next record starts clean.
        let size = lseek(fd, 0, SEEK_END)
        if size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, size - 1) == 1, last != 10 {
                try Durable.writeAll(fd, [10], path)
            }
        }
        if size == 0 {
            try Durable.writeAll(fd, Array((header?.line ?? JournalHeader.legacyLine).utf8), path)
            _ = fsync(fd)
            try Durable.syncDirectory(folder.path)
        }
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Flushes and releases the file (and the lock that keeps a second run out).
    public func close() throws {
        try sync()
        condition.lock()
        defer { condition.unlock() }
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        failure = MailError(.journal, "the journal \(path) is closed")
    }

    /// Appends records without waiting for the disk; returns a ticket for `waitDurable`.
    ///
    /// The line is written outside the lock: the kernel keeps each `O_APPEND` write whole, and
    /// a line needs only an fsync that starts after its write returned, which is what the
    /// ticket names (the number of the next fsync to start). With the write inside the lock,
    /// four connections queued on it at every append (bench "Send 10,000, 4 conn": about one
    /// blocking futex wait per message per connection; see BENCHMARKS.md).
    @discardableResult
    public func append(_ records: [JournalRecord]) throws -> Int {
        var bytes: [UInt8] = []
        for record in records { bytes.append(contentsOf: record.line()) }
        condition.lock()
        let fd = fd
        let failed = failure
        condition.unlock()
        if let failed { throw failed }
        do {
            try Durable.writeAll(fd, bytes, path)
        } catch let error as MailError {
            condition.lock()
            failure = failure ?? MailError(.journal, error.message)
            condition.unlock()
            throw MailError(.journal, error.message)
        }
        condition.lock()
        defer { condition.unlock() }
        appended += 1
        return started + 1
    }

    /// Returns once everything written before `ticket` was handed out is on disk (one fsync
    /// may cover many threads).
    public func waitDurable(_ ticket: Int) throws {
        condition.lock()
        defer { condition.unlock() }
        while finished < ticket {
            if let failure { throw failure }
            if syncing {
                condition.wait()
                continue
            }
            syncing = true
            started += 1
            let covered = appended
            condition.unlock()
            let result = fdatasync(fd)
            let reason = result == 0 ? "" : Durable.errnoText()
            condition.lock()
            syncing = false
            syncs += 1
            finished = started
            if result == 0 {
                durable = max(durable, covered)
            } else {
                failure = MailError(.journal, "cannot flush the journal \(path) to disk: \(reason)")
                failedSync = started
            }
            condition.broadcast()
        }
        // The fsync that was to cover this ticket failed (an earlier one that did is fine).
        if let failedSync, ticket >= failedSync, let failure { throw failure }
    }

    /// Appends records and waits until they are on disk.
    public func record(_ records: [JournalRecord]) throws {
        try waitDurable(try append(records))
    }

    /// Waits until everything appended so far is on disk.
    public func sync() throws {
        condition.lock()
        let target = appended > durable ? started + 1 : finished
        condition.unlock()
        try waitDurable(target)
    }
}
