import TiedoteCore

/// Where and how to reach an IMAP mailbox (`inbox.imap` in tiedote.yml).
public struct IMAPConfiguration: Sendable {
    /// `imaps://host:port/MAILBOX` or `imap://127.0.0.1:port/MAILBOX`.
    public var url: String
    /// The login name.
    public var username: String?
    /// The password.
    public var password: Secret?
    /// A CA bundle for a private server.
    public var caFile: String?
    /// Seconds to wait for the connection.
    public var connectTimeout = 30
    /// Seconds one command may take at most (a fetch of the largest message included).
    public var commandTimeout = 300
    /// The largest message fetched, in bytes; a larger one is reported and left alone.
    public var maxMessageSize = 10 * 1_048_576

    /// Creates a configuration.
    public init(url: String, username: String? = nil, password: Secret? = nil, caFile: String? = nil) {
        self.url = url
        self.username = username
        self.password = password
        self.caFile = caFile
    }

    /// `scheme://host[:port]`, without the mailbox.
    public var server: String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        return String(url[..<range.upperBound]) + authority
    }

    /// The mailbox (`INBOX` when the URL names none).
    public var mailbox: String {
        guard let range = url.range(of: "://") else { return "INBOX" }
        let rest = url[range.upperBound...]
        let path = rest.drop { $0 != "/" }.dropFirst()
        let name = path.hasSuffix("/") ? path.dropLast() : path
        return name.isEmpty ? "INBOX" : String(name)
    }

    /// True for `imaps://` (TLS from the start).
    public var isImplicitTLS: Bool { url.hasPrefix("imaps://") }

    /// True when the server is this machine (127.x.x.x, ::1, localhost): plain IMAP allowed.
    public var isLoopback: Bool {
        SMTPConfiguration(url: "smtp://" + server.drop { $0 != "/" }.dropFirst(2)).isLoopback
    }

    /// Checks the URL and settings before any connection is made.
    public func validate() throws(MailError) {
        guard url.hasPrefix("imaps://") || url.hasPrefix("imap://") else {
            throw MailError(.configuration, "IMAP URL \(MailAddress.visible(url)) must start with imaps:// (or imap:// on loopback)")
        }
        guard !url.contains(where: { $0 == "@" || $0 == "?" || $0 == "#" || $0 == ";" }) else {
            throw MailError(.configuration, "IMAP URL must be only imaps://host:port/FOLDER, with no user name, password or options")
        }
        guard !isImplicitTLS ? isLoopback : true else {
            throw MailError(.tls,
                "IMAP without TLS is allowed only on this machine (127.0.0.1): use imaps://\(server.dropFirst("imap://".count))/\(mailbox)")
        }
        guard mailbox.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            throw MailError(.configuration, "the IMAP folder in the URL must be a plain ASCII name like INBOX")
        }
        try MIMEMessage.checkToken(url, header: "IMAP URL")
        if username != nil, password == nil {
            throw MailError(.authentication,
                "an IMAP user name is set but no password was found: set the environment variable or file that inbox.imap.password_env / password_file names")
        }
    }
}
