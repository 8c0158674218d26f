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
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var pointer = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = posixWrite(fd, pointer, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            left -= written
            pointer += written
        }
        return nil
    }

    /// fsyncs a folder, so that a name created or renamed in it survives a power loss.
    public static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return fsync(fd) == 0 ? nil : errno
    }

    /// `strerror` of an `errno`.
    public static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
