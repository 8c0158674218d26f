import Foundation
import TiedoteCore

/// "Sends" into a Maildir (`out/outbox/{tmp,new,cur}`): each message is written in `tmp/`,
/// flushed to disk and renamed into `new/`, so a mail client never sees half a message.
public final class OutboxTransport: Transport {
    /// The Maildir folder.
    public let folder: URL
    private let tmp: String
    private let new: String
    private var counter = 0
    private static let host: String = {
        let name = ProcessInfo.processInfo.hostName
        let safe = name.map { $0 == "/" || $0 == ":" ? "_" : $0 }
        return safe.isEmpty ? "localhost" : String(safe)
    }()

    /// Creates the Maildir's folders when missing.
    public init(folder: URL) throws {
        self.folder = folder
        tmp = folder.appendingPathComponent("tmp").path
        new = folder.appendingPathComponent("new").path
        for sub in ["tmp", "new", "cur"] {
            if let failure = FileSync.makeFolders(folder.appendingPathComponent(sub).path) {
                throw MailError(.io, "cannot create the outbox \(folder.path) (at \(failure.path)): \(FileSync.folderText(failure.code))")
            }
        }
    }

    /// Writes one message into `new/`.
    public func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        counter += 1
        let now = Date().timeIntervalSince1970
        let seconds = Int(now)
        let micros = Int((now - Double(seconds)) * 1_000_000)
        let hash = MIMEMessage.hex16(MIMEMessage.fnv1a64(envelope.messageID.utf8))
        let name = "\(seconds).M\(micros)P\(getpid())Q\(counter)R\(hash).\(Self.host)"
        let tmpPath = "\(tmp)/\(name)"
        let newPath = "\(new)/\(name)"
        try Durable.writeFile(tmpPath, message)
        do { try beforeCommit() } catch {
            unlink(tmpPath)
            throw error
        }
        guard rename(tmpPath, newPath) == 0 else {
            throw MailError(.io, "cannot move \(tmpPath) into \(new): \(Durable.errnoText())")
        }
        try Durable.syncDirectory(new)
        return .sent(code: 250, text: "saved in \(newPath)")
    }
}

/// `FileSync` in the mail module's own errors, for the outbox and the journal.
enum Durable {
    /// `strerror(errno)`.
    static func errnoText() -> String { FileSync.text(errno) }

    /// Creates `path` with `bytes` and fsyncs it.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MailError(.io, "cannot create \(path): \(errnoText())") }
        defer { close(fd) }
        try writeAll(fd, bytes, path)
        guard fsync(fd) == 0 else { throw MailError(.io, "cannot flush \(path) to disk: \(errnoText())") }
    }

    /// Writes every byte, retrying short writes and interruptions.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        if let code = FileSync.writeAll(fd, bytes) {
            throw MailError(.io, "cannot write \(path): \(FileSync.text(code))")
        }
    }

    /// fsyncs a directory so that a new name in it survives a power loss.
    static func syncDirectory(_ path: String) throws {
        if let code = FileSync.syncDirectory(path) {
            throw MailError(.io, "cannot flush \(path) to disk: \(FileSync.text(code))")
        }
    }
}
