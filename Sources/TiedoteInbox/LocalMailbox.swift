import Foundation
import TiedoteCore

/// One message to classify and where it came from.
public struct IncomingMessage: Sendable, Hashable {
    /// The file name (`bounce.eml`, a Maildir file, `export.mbox#3`) or the IMAP UID.
    public var source: String
    /// The raw message.
    public var bytes: [UInt8]

    /// Creates a message.
    public init(source: String, bytes: [UInt8]) {
        self.source = source
        self.bytes = bytes
    }
}

/// Messages in local files: `.eml` files, Maildir folders (`cur/` and `new/`) and mbox files
/// (as Thunderbird and Outlook export them).
public enum LocalMailbox {
    /// Every message at `paths`, in order; throws a diagnostic naming a path that is none of these.
    public static func read(_ paths: [String]) throws -> [IncomingMessage] {
        var messages: [IncomingMessage] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Diagnostic.error(SourcePosition(path: path), "no such file or folder: give .eml files, a Maildir folder or an mbox file")
            }
            if isDirectory.boolValue {
                messages += try maildir(path)
            } else {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                let name = URL(fileURLWithPath: path).lastPathComponent
                messages += bytes.starts(with: Array("From ".utf8)) ? mbox(bytes, name: name) : [IncomingMessage(source: name, bytes: bytes)]
            }
        }
        return messages
    }

    /// The messages of a Maildir: `new/` then `cur/`, each by file name.
    static func maildir(_ path: String) throws -> [IncomingMessage] {
        let manager = FileManager.default
        let folders = ["new", "cur"].map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        guard folders.contains(where: { manager.fileExists(atPath: $0.path) }) else {
            throw Diagnostic.error(SourcePosition(path: path), "not a Maildir (it has no cur/ or new/ folder): give .eml files, a Maildir folder or an mbox file")
        }
        var messages: [IncomingMessage] = []
        for folder in folders where manager.fileExists(atPath: folder.path) {
            for name in try manager.contentsOfDirectory(atPath: folder.path).sorted() where !name.hasPrefix(".") {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
                messages.append(IncomingMessage(source: name, bytes: bytes))
            }
        }
        return messages
    }

    /// An mbox cut at its `From ` lines, `>From ` quoting undone (mboxrd), each named `NAME#N`.
    static func mbox(_ bytes: [UInt8], name: String) -> [IncomingMessage] {
        var messages: [IncomingMessage] = []
        var current: [UInt8] = []
        var started = false
        let from = Array("From ".utf8)
        func finish() {
            guard started else { return }
            // The blank line before the next `From ` belongs to the separator.
            while current.last == UInt8(ascii: "\n") || current.last == UInt8(ascii: "\r") { current.removeLast() }
            current += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
            messages.append(IncomingMessage(source: "\(name)#\(messages.count + 1)", bytes: current))
            current = []
        }
        for line in MIMEReader.lines(bytes) {
            if line.starts(with: from) {
                finish()
                started = true
                continue
            }
            var text = line[...]
            let quoted = text.prefix { $0 == UInt8(ascii: ">") }
            if !quoted.isEmpty, text.dropFirst(quoted.count).starts(with: from) { text = text.dropFirst() }
            current += text
            current += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        finish()
        return messages
    }
}
