import Foundation
import TiedoteCore

/// The one door every web-side write to `Lists/` goes through (a confirmed subscription, a
/// one-click unsubscribe): one writer at a time in this process, and across processes an
/// exclusive `flock` on `Lists/.lock`.
///
/// Kept to this single function on purpose: when the workspace-wide lock that `send`,
/// `lists import` and `forget` take lands, this is the only place to point at it.
public enum ListWriteLock {
    /// Serialises the threads of one process (`flock` does not: it is per open file).
    private static let local = NSLock()

    /// Runs `body` while holding the lists' lock of `workspace`.
    public static func withLock<T>(_ workspace: Workspace, _ body: () throws -> T) throws -> T {
        local.lock()
        defer { local.unlock() }
        let folder = workspace.url(Workspace.Folder.lists)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Diagnostic.error(SourcePosition(path: workspace.displayPath("Lists/.lock")), "cannot open the lock file")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw Diagnostic.error(SourcePosition(path: workspace.displayPath("Lists/.lock")), "cannot lock the lists")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
