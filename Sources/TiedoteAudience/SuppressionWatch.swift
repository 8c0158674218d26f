import Foundation
import TiedoteCore

/// `Lists/suppressed.csv` as a send sees it while it runs: an `unsubscribe` (or a bounce
/// recorded by another command) during a long send must stop the messages not yet started.
///
/// Each look-up first compares the file's identity, size and change time with what was last
/// read (one `stat`, cheap beside a message), and reads the file again only when they differ.
/// A class because the connections share it behind a lock.
public final class SuppressionWatch: @unchecked Sendable {
    /// What identifies one version of the file.
    struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    private let workspace: Workspace
    private let path: String
    private let lock = NSLock()
    private var stamp: Stamp?
    private var set: SuppressionSet

    /// Reads the file as it is now.
    public init(workspace: Workspace) throws {
        self.workspace = workspace
        path = workspace.url(Workspace.suppressionFile).path
        // Stamp first: a change between the two is seen as a change at the next look-up.
        stamp = Self.stamp(path)
        set = try workspace.suppressions()
    }

    /// True when `address` is suppressed now.
    public func contains(_ address: String) -> Bool {
        // The stat outside the lock: every connection asks before every message.
        let now = Self.stamp(path)
        return lock.withLock {
            refresh(now)
            return set.contains(address)
        }
    }

    /// Reads the file again when it changed (`now` is its stamp, taken just before). A version
    /// that does not read (caught between two writes, or edited badly by hand) keeps the last
    /// good set and is read again next time.
    private func refresh(_ now: Stamp?) {
        guard now != stamp else { return }
        guard now != nil else {
            // The file went away: what was suppressed stays suppressed for this run.
            stamp = nil
            return
        }
        guard let fresh = try? workspace.suppressions() else { return }
        set = fresh
        stamp = now
    }

    static func stamp(_ path: String) -> Stamp? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Stamp(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
            seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec))
    }
}
