#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or standard error, written with `write(2)`.
///
/// Foundation's `FileHandle.write(_:)` traps when a write fails, so `tiedote send … | head`
/// or a full disk under `> log` killed a send half-way. Here a failed write only ends that
/// piece of console output: what a command does (and its exit status) never depends on
/// whether anyone reads what it prints.
public enum ConsoleStream: Sendable {
    /// Standard output: results.
    case output
    /// Standard error: problems and the progress line.
    case error

    private var descriptor: Int32 {
        switch self {
        case .output: return STDOUT_FILENO
        case .error: return STDERR_FILENO
        }
    }

    /// Makes a write to a pipe whose reader has gone fail with `EPIPE` instead of killing
    /// the process with `SIGPIPE`: the first thing `main` does.
    public static func ignoreBrokenPipes() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `text`, retrying interrupted and partial writes; false when the stream
    /// refused it (closed pipe, full disk, I/O error), which callers may ignore.
    @discardableResult
    public func write(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            switch Self.writeOnce(descriptor, bytes, from: offset) {
            case .wrote(let count):
                offset += count
            case .interrupted:
                continue
            case .wouldBlock:
                // A non-blocking descriptor inherited from the parent: wait until it drains.
                guard Self.waitUntilWritable(descriptor) else { return false }
            case .failed:
                return false
            }
        }
        return true
    }

    private enum Outcome {
        case wrote(Int)
        case interrupted
        case wouldBlock
        /// EPIPE, ENOSPC, EIO, EBADF, …: nothing more will get through.
        case failed
    }

    /// One `write(2)` of the bytes from `offset`, with its errno turned into an outcome.
    private static func writeOnce(_ descriptor: Int32, _ bytes: [UInt8], from offset: Int) -> Outcome {
        let result = systemWrite(descriptor, bytes[offset...])
        if result > 0 { return .wrote(result) }
        if result == 0 { return .failed }
        switch errno {
        case EINTR: return .interrupted
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: return .failed
        }
    }

    private static func waitUntilWritable(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while true {
            let ready = poll(&entry, 1, -1)
            if ready > 0 { return entry.revents & Int16(POLLOUT) != 0 }
            if ready < 0 && errno == EINTR { continue }
            return false
        }
    }
}

/// The C library's `write(2)` of `bytes`, out of reach of `ConsoleStream.write`'s own name.
private func systemWrite(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
    // An array passes write(2) its bytes' address; console lines are short, so the copy is cheap.
    write(descriptor, Array(bytes), bytes.count)
}
