import Foundation

/// The one lock that every command changing the workspace's lists takes (`forget`,
/// `lists import`, `unsubscribe`, and `send` around its writes to the suppression list): an
/// exclusive `flock` on `.tiedote.lock` in the workspace.
///
/// Without it, `lists import` may read the list, `forget` erase a row and append its hash, and
/// the import then write back the row it read: the forgotten address is on the list again.
/// `send` holds it only while it writes, never for the whole run, so that `unsubscribe`
/// during a long send still goes through (and the send then honours it).
public final class WorkspaceLock {
    /// The lock file's name, in the workspace folder (hidden, so `forget` never reads it).
    public static let fileName = ".tiedote.lock"
    private var descriptor: Int32

    /// Takes the lock, waiting while another command holds it; `waiting` runs once before a wait.
    public init(root: URL, waiting: () -> Void = {}) throws {
        let url = root.appendingPathComponent(Self.fileName)
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Diagnostic.error(
                SourcePosition(path: Workspace.shownPath(url)),
                "cannot create the workspace's lock file: \(FileSync.text(errno)); commands that change "
                    + "the lists need a workspace folder they can write in")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw Diagnostic.error(
                        SourcePosition(path: Workspace.shownPath(url)), "cannot lock the workspace: \(FileSync.text(code))")
                }
            }
        }
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Lets the next command in.
    public func release() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}

extension Workspace {
    /// Runs `body` holding the workspace lock, after checking that the state folders hold no
    /// symbolic links.
    public func withLock<T>(waiting: () -> Void = {}, _ body: () throws -> T) throws -> T {
        let lock = try WorkspaceLock(root: root, waiting: waiting)
        defer { lock.release() }
        try refuseLinks()
        return try body()
    }

    /// The folders whose links Tiedote refuses, and whose files it checks one level down.
    static let stateFolders = [Folder.lists, Folder.sent, Folder.out]

    /// Throws when `Lists/`, `Sent/`, `out/` or a file directly in `Lists/` or `Sent/` is a
    /// symbolic link. Tiedote does not follow them: the workspace must hold its own state, so
    /// that copying it hands everything over, and `forget` must reach every copy of an address.
    public func refuseLinks() throws {
        try Diagnostics(linkProblems()).throwIfErrors()
    }

    /// Each symbolic link `refuseLinks()` refuses, as an error naming it.
    public func linkProblems() -> [Diagnostic] {
        var found: [String] = []
        for folder in Self.stateFolders {
            guard let kind = Self.fileKind(url(folder).path) else { continue }
            if kind == S_IFLNK {
                found.append(folder)
                continue
            }
            guard kind == S_IFDIR, folder != Folder.out,
                let names = try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)
            else { continue }
            for name in names.sorted() where Self.fileKind(url("\(folder)/\(name)").path) == S_IFLNK {
                found.append("\(folder)/\(name)")
            }
        }
        return found.map { relative in
            .error(
                SourcePosition(path: displayPath(relative)),
                "this is a symbolic link; Tiedote does not follow links in \(Folder.lists)/, \(Folder.sent)/ or "
                    + "\(Folder.out)/ (the workspace must hold its own lists and journals): put the file or folder "
                    + "itself here, then run the command again")
        }
    }

    /// The `S_IFMT` bits of `path` itself (a link is not followed); nil when nothing is there.
    static func fileKind(_ path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }
}
