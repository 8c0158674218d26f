import Foundation

/// File writes that never leave a half-written file behind, and appends that reach the disk.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, flushes it to disk and renames it over
    /// `url`, so readers see either the old file or the whole new one.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        do {
            try writeAll(data, to: descriptor, path: temporary)
            guard fsync(descriptor) == 0 else { throw failure("cannot flush", temporary) }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = failure("cannot replace", url)
            unlink(temporary.path)
            throw error
        }
        // Without this a power cut may undo the rename (an erased address back in the list).
        if let code = FileSync.syncDirectory(folder.path) { throw failure("cannot flush the folder of", url, code) }
    }

    /// Appends `data` to `url` (creating it with `header` first when missing or empty) and
    /// flushes it to disk before returning.
    public static func append(_ data: Data, to url: URL, header: Data = Data()) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
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
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        guard end > 0 else { return true }
        try handle.seek(toOffset: end - 1)
        return try handle.read(upToCount: 1) == Data([0x0A])
    }

    static func writeAll(_ data: Data, to descriptor: Int32, path: URL) throws {
        if let code = data.withUnsafeBytes({ FileSync.writeAll(descriptor, $0) }) { throw failure("cannot write", path, code) }
    }

    static func failure(_ what: String, _ url: URL, _ code: Int32 = errno) -> Diagnostic {
        .error(SourcePosition(path: url.path), "\(what) the file: \(FileSync.text(code))")
    }
}
