import Foundation
import TiedoteCore

/// The one door every web-side write to `Lists/` goes through (a confirmed subscription, a
/// one-click unsubscribe): one writer at a time in this process, and across processes the
/// workspace lock (`WorkspaceLock`) that every other command changing the lists takes.
public enum ListWriteLock {
    /// Serialises the server's threads before they queue on the file lock.
    private static let local = NSLock()

    /// Runs `body` while holding the lists' lock of `workspace`.
    public static func withLock<T>(_ workspace: Workspace, _ body: () throws -> T) throws -> T {
        // One thread at a time in this process, then the same `.tiedote.lock` that `forget`,
        // `lists import`, `unsubscribe` and `send` take.
        local.lock()
        defer { local.unlock() }
        return try workspace.withLock(body)
    }
}
