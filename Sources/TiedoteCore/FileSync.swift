import Foundation

#if canImport(Glibc)
    import Glibc
    private let posixWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let posixWrite = Darwin.write
#endif

/// The POSIX steps that make a write survive a crash. Each returns the `errno` of a failure
/// (nil on success), so that every caller can word the error in its own terms.
public enum FileSync {
    /// Writes every byte to `fd`, retrying short writes and interruptions.
    public static func writeAll(_ fd: Int32, _ bytes: some ContiguousBytes) -> Int32? {
        // C interop: write(2) takes the address of the caller's buffer; the one place that does.
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = posixWrite(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += written
            }
            return nil
        }
    }

    /// fsyncs a folder, so that a name created or renamed in it survives a power loss.
    public static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return fsync(fd) == 0 ? nil : errno
    }

    /// A Foundation file error in words: the `strerror` of the POSIX error beneath it, never
    /// an `NSCocoaErrorDomain Code=…` dump.
    public static func describe(_ error: Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return text(Int32(error.code)) }
        if let posix = error.userInfo[NSUnderlyingErrorKey] as? POSIXError { return text(posix.code.rawValue) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? Error { return describe(underlying) }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return text(ENOENT)
        case .fileWriteFileExists: return text(EEXIST)
        case .fileReadNoPermission, .fileWriteNoPermission: return text(EACCES)
        case .fileWriteOutOfSpace: return text(ENOSPC)
        case .fileWriteVolumeReadOnly: return text(EROFS)
        default: return error.localizedDescription
        }
    }

    /// A Foundation file error as a diagnostic that names the file and says what failed in
    /// words; nil for an error that is not about a file.
    public static func diagnostic(for error: Error) -> Diagnostic? {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain else { return nil }
        let path = (error.userInfo[NSFilePathErrorKey] as? String)
            ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let code = CocoaError.Code(rawValue: error.code)
        let what = error.domain == NSPOSIXErrorDomain ? "cannot use the file"
            : (256..<512).contains(code.rawValue) ? "cannot read the file" : "cannot write the file"
        let position = path.map { SourcePosition(path: Workspace.shownPath(URL(fileURLWithPath: $0))) }
        return .error(position, "\(what): \(describe(error))")
    }

    /// Creates `path` and the folders above it, like `mkdir -p`; returns the `errno` and the
    /// path that could not be made. A file in the way is `ENOTDIR`, said as such.
    public static func makeFolders(_ path: String) -> (code: Int32, path: String)? {
        var status = stat()
        if stat(path, &status) == 0 {
            return status.st_mode & S_IFMT == S_IFDIR ? nil : (ENOTDIR, path)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, let failure = makeFolders(parent) { return failure }
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return nil }
        return (errno, path)
    }

    /// `strerror` of a `makeFolders` failure, with what `ENOTDIR` means there.
    public static func folderText(_ code: Int32) -> String {
        code == ENOTDIR ? "a file is in the way (it or a folder above it is a file, not a folder)" : text(code)
    }

    /// `strerror` of an `errno`.
    public static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
