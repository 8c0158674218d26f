/// One IMAP mailbox through libcurl: the few commands `tiedote inbox` needs, typed. Every
/// command names messages by UID; nothing here deletes a message other than by moving it.
public final class IMAPMailbox {
    /// A message as listed before fetching.
    public struct Listed: Sendable, Hashable {
        /// The UID.
        public var uid: Int
        /// RFC822.SIZE, in bytes.
        public var size: Int
        /// True when `\Seen` was set.
        public var seen: Bool
    }

    /// The settings.
    public let configuration: IMAPConfiguration
    private let connection: CurlIMAPConnection
    private var capabilities: Set<String>?
    /// Replies to commands are small; the cap only guards against a runaway server.
    private let replyCap = 64 * 1_048_576

    /// Checks the settings and prepares a connection (made on the first command).
    public init(_ configuration: IMAPConfiguration) throws(MailError) {
        try configuration.validate()
        self.configuration = configuration
        connection = try CurlIMAPConnection(configuration)
    }

    /// The mailbox's UIDVALIDITY (`STATUS`): when it changes, every UID known before is void.
    public func uidValidity() throws(MailError) -> Int {
        let reply = try lines(path: "", "STATUS \(quoted(configuration.mailbox)) (UIDVALIDITY)")
        for line in reply {
            if let value = Self.number(after: "UIDVALIDITY ", in: line) { return value }
        }
        throw MailError(.connection, "the IMAP server did not say the UIDVALIDITY of \(configuration.mailbox)")
    }

    /// Messages with a UID above `uid`, in UID order.
    public func messages(after uid: Int) throws(MailError) -> [Listed] {
        let reply = try lines(path: mailboxPath, "UID FETCH \(uid + 1):* (UID RFC822.SIZE FLAGS)")
        var listed: [Listed] = []
        for line in reply where line.hasPrefix("* ") && line.contains(" FETCH ") {
            guard let found = Self.number(after: "UID ", in: line), found > uid else { continue }
            let size = Self.number(after: "RFC822.SIZE ", in: line) ?? 0
            let flags = line.range(of: "FLAGS (").map { line[$0.upperBound...].prefix { $0 != ")" } } ?? ""
            listed.append(Listed(uid: found, size: size, seen: flags.split(separator: " ").contains { $0.lowercased() == "\\seen" }))
        }
        return listed.sorted { $0.uid < $1.uid }
    }

    /// The whole message `uid` (the server sets `\Seen`, as any reader's fetch does), refused
    /// when `uidValidity` is no longer the mailbox's.
    public func fetch(uid: Int, uidValidity: Int) throws(MailError) -> [UInt8] {
        try connection.perform(
            path: "\(mailboxPath);UIDVALIDITY=\(uidValidity)/;UID=\(uid)", command: nil, cap: configuration.maxMessageSize + 65536)
    }

    /// Sets or clears `\Seen` on `uid`.
    public func setSeen(_ seen: Bool, uid: Int) throws(MailError) {
        _ = try lines(path: mailboxPath, "UID STORE \(uid) \(seen ? "+" : "-")FLAGS.SILENT (\\Seen)")
    }

    /// Creates `folder` unless it exists.
    public func ensureFolder(_ folder: String) throws(MailError) {
        let listed = try lines(path: "", "LIST \"\" \(quoted(folder))")
        guard !listed.contains(where: { $0.hasPrefix("* LIST") }) else { return }
        _ = try lines(path: "", "CREATE \(quoted(folder))")
    }

    /// Moves `uid` to `folder`: `UID MOVE` when the server has it; else `UID COPY`, `\Deleted`
    /// and `UID EXPUNGE` of that one UID (never a plain EXPUNGE, which would take others too).
    public func move(uid: Int, to folder: String) throws(MailError) {
        let capabilities = try serverCapabilities()
        if capabilities.contains("MOVE") {
            _ = try lines(path: mailboxPath, "UID MOVE \(uid) \(quoted(folder))")
            return
        }
        guard capabilities.contains("UIDPLUS") else {
            throw MailError(.connection, "the IMAP server has neither MOVE nor UIDPLUS: messages cannot be moved safely; \(uid) was left in \(configuration.mailbox)")
        }
        _ = try lines(path: mailboxPath, "UID COPY \(uid) \(quoted(folder))")
        _ = try lines(path: mailboxPath, "UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
        _ = try lines(path: mailboxPath, "UID EXPUNGE \(uid)")
    }

    /// The server's capabilities, upper-cased (asked once).
    public func serverCapabilities() throws(MailError) -> Set<String> {
        if let capabilities { return capabilities }
        var found: Set<String> = []
        for line in try lines(path: "", "CAPABILITY") where line.uppercased().hasPrefix("* CAPABILITY") {
            found.formUnion(line.uppercased().split(separator: " ").dropFirst(2).map(String.init))
        }
        capabilities = found
        return found
    }

    private var mailboxPath: String { Self.percentEncoded(configuration.mailbox) }

    private func lines(path: String, _ command: String) throws(MailError) -> [String] {
        let bytes = try connection.perform(path: path, command: command, cap: replyCap)
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }).map(String.init)
    }

    /// An IMAP quoted string (names are checked to hold no quote, backslash or control character).
    private func quoted(_ name: String) -> String { "\"\(name)\"" }

    static func number(after marker: String, in line: String) -> Int? {
        guard let range = line.range(of: marker) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isASCII && $0.isNumber })
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                out.append(character)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPaddedHex
            }
        }
        return out
    }
}

extension String {
    fileprivate var leftPaddedHex: String { count == 1 ? "0" + self : self }
}
