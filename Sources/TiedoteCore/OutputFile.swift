import Foundation

/// Where a command may write the files it generates (`compose`, `export`, `reach`).
///
/// A command owns what is under the workspace's `out/`: it replaces its own earlier output
/// there. Anywhere else (`--out` given by hand) an existing file is the user's: replacing it
/// needs `--force`, so that `reach --out Lists/members.csv` cannot wipe the subscriber list.
/// Nothing but a regular file is ever replaced, `--force` or not (see `AtomicFile`).
public struct OutputFile: Sendable {
    /// The workspace the command runs in.
    public var workspace: Workspace
    /// True when `--force` was given.
    public var force: Bool

    /// Creates a policy.
    public init(workspace: Workspace, force: Bool) {
        self.workspace = workspace
        self.force = force
    }

    /// Throws unless `url` may be written: nothing there yet, or a regular file under `out/`,
    /// or with `--force` any regular file.
    public func check(_ url: URL) throws {
        try AtomicFile.checkReplaceable(url)
        var status = stat()
        guard lstat(url.path, &status) == 0, !force, !isOwned(url) else { return }
        throw Diagnostic.error(
            SourcePosition(path: Workspace.shownPath(url)),
            "the file already exists and is not Tiedote's own output (under \(Workspace.Folder.out)/ in the "
                + "workspace): add --force to replace it, or choose another path (nothing was written)")
    }

    /// Checks every destination first, then writes all of them (see `AtomicFile.write(_:)`).
    public func write(_ files: [(url: URL, data: Data)]) throws {
        var problems = Diagnostics()
        for (url, _) in files { _ = problems.take(Result { try check(url) }) }
        try problems.throwIfErrors()
        try AtomicFile.write(files)
    }

    /// True when `url`'s folder is the workspace's `out/` or inside it.
    func isOwned(_ url: URL) -> Bool {
        guard let out = Self.realPath(workspace.url(Workspace.Folder.out).path),
            let folder = Self.realPath(url.deletingLastPathComponent().path)
        else { return false }
        return folder == out || folder.hasPrefix(out + "/")
    }

    /// The path with every link and `..` resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
