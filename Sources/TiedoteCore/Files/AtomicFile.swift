import Foundation

/// File writes that never leave a half-written file behind, and appends that reach the disk.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, flushes it to disk and renames it over
    /// `url`, so readers see either the old file or the whole new one.
    public static func write(_ data: Data, to url: URL) throws {
        try write([(url, data)])
    }

    /// Writes several files as one step: every one goes to a temporary file first, and only
    /// when all are whole on disk are they renamed into place; a failure (a full disk) leaves
    /// no temporary file and none of the new files behind.
    ///
    /// Only a regular file is ever replaced: a folder, a device (`/dev/full`), a pipe or a
    /// symbolic link at a destination is an error before anything is written.
    public static func write(_ files: [(url: URL, data: Data)]) throws {
        for (url, _) in files { try checkReplaceable(url) }
        var written: [(temporary: URL, url: URL)] = []
        do {
            for (url, data) in files {
                let folder = url.deletingLastPathComponent()
                if let failure = FileSync.makeFolders(folder.path) {
                    throw Diagnostic.error(
                        SourcePosition(path: Workspace.shownPath(URL(fileURLWithPath: failure.path))),
                        "cannot create the folder for \(Workspace.shownPath(url)): \(FileSync.folderText(failure.code))")
                }
                let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
                try writeTemporary(data, at: temporary, for: url)
                written.append((temporary, url))
            }
        } catch {
            for file in written { unlink(file.temporary.path) }
            throw error
        }
        for (index, file) in written.enumerated() {
            guard rename(file.temporary.path, file.url.path) == 0 else {
                let error = failure("cannot replace", file.url)
                for later in written[index...] { unlink(later.temporary.path) }
                throw error
            }
        }
        // Without this a power cut may undo the rename (an erased address back in the list).
        for folder in Set(written.map { $0.url.deletingLastPathComponent().path }).sorted() {
            if let code = FileSync.syncDirectory(folder) {
                throw failure("cannot flush the folder of", URL(fileURLWithPath: folder), code)
            }
        }
    }

    /// Throws unless `url` is free or a regular file.
    public static func checkReplaceable(_ url: URL) throws {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return }
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        throw Diagnostic.error(
            SourcePosition(path: Workspace.shownPath(url)),
            "this is \(describe(kind)), not a regular file; Tiedote writes only regular files and never replaces "
                + "anything else: give the path of a file (nothing was written)")
    }

    /// "a folder", "a device", … for messages.
    public static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFREG: "a file"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// Creates `temporary` with `data` and flushes it; errors name `url`, the file being made.
    private static func writeTemporary(_ data: Data, at temporary: URL, for url: URL) throws {
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw kept(failure("cannot create", url)) }
        do {
            try writeAll(data, to: descriptor, path: url)
            guard fsync(descriptor) == 0 else { throw failure("cannot flush", url) }
            close(descriptor)
        } catch let problem as Diagnostic {
            close(descriptor)
            unlink(temporary.path)
            throw kept(problem)
        }
    }

    /// `problem`, saying that the file it names was not touched.
    private static func kept(_ problem: Diagnostic) -> Diagnostic {
        var problem = problem
        problem.message += "; nothing was written (the file, if there was one, is as it was)"
        return problem
    }

    /// Appends `data` to `url` (creating it with `header` first when missing or empty) and
    /// flushes it to disk before returning.
    public static func append(_ data: Data, to url: URL, header: Data = Data()) throws {
        let folder = url.deletingLastPathComponent()
        if let failure = FileSync.makeFolders(folder.path) {
            throw Diagnostic.error(
                SourcePosition(path: Workspace.shownPath(URL(fileURLWithPath: failure.path))),
                "cannot create the folder for \(Workspace.shownPath(url)): \(FileSync.folderText(failure.code))")
        }
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot open", url) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read", url) }
        var bytes = Data()
        if status.st_size == 0 {
            bytes.append(header)
        } else if try !endsWithNewline(url) {
            bytes.append(contentsOf: [0x0A])
        }
        bytes.append(data)
        try writeAll(bytes, to: descriptor, path: url)
        guard fsync(descriptor) == 0 else { throw failure("cannot flush", url) }
    }

    static func endsWithNewline(_ url: URL) throws -> Bool {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw failure("cannot read", url) }
        defer { try? handle.close() }
        do {
            let end = try handle.seekToEnd()
            guard end > 0 else { return true }
            try handle.seek(toOffset: end - 1)
            return try handle.read(upToCount: 1) == Data([0x0A])
        } catch {
            throw Diagnostic.error(SourcePosition(path: Workspace.shownPath(url)), "cannot read the file: \(FileSync.describe(error))")
        }
    }

    static func writeAll(_ data: Data, to descriptor: Int32, path: URL) throws {
        if let code = FileSync.writeAll(descriptor, data) { throw failure("cannot write", path, code) }
    }

    static func failure(_ what: String, _ url: URL, _ code: Int32 = errno) -> Diagnostic {
        .error(SourcePosition(path: Workspace.shownPath(url)), "\(what) the file: \(FileSync.text(code))")
    }
}
