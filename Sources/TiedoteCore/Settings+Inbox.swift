extension Settings {
    /// Where `tiedote inbox` reads bounces and mailed unsubscribes, and what it does with them.
    public struct Inbox: Sendable, Hashable, Codable {
        /// An IMAP mailbox.
        public struct IMAP: Sendable, Hashable, Codable {
            /// `imaps://host/INBOX`, or `imap://127.0.0.1:port/INBOX` on loopback.
            public var url: String
            /// The login name.
            public var username: String?
            /// Environment variable holding the password.
            public var passwordEnv: String?
            /// File holding the password.
            public var passwordFile: String?
            /// A CA bundle for a private server.
            public var caFile: String?
            /// Creates IMAP settings.
            public init(url: String, username: String? = nil, passwordEnv: String? = nil, passwordFile: String? = nil, caFile: String? = nil) {
                self.url = url
                self.username = username
                self.passwordEnv = passwordEnv
                self.passwordFile = passwordFile
                self.caFile = caFile
            }
        }

        /// The mailbox, when one is set.
        public var imap: IMAP?
        /// The folder handled messages are moved to.
        public var processedFolder: String
        /// Soft bounces (from as many different sends) after which an address is suppressed.
        public var softBounceLimit: Int
        /// Creates inbox settings.
        public init(imap: IMAP? = nil, processedFolder: String = "Tiedote", softBounceLimit: Int = 3) {
            self.imap = imap
            self.processedFolder = processedFolder
            self.softBounceLimit = softBounceLimit
        }
    }
}

extension Settings {
    /// Reads the `inbox:` section.
    static func parseInbox(
        _ map: YAMLMapping?, _ problems: inout Diagnostics, _ positions: inout [String: SourcePosition]
    ) throws -> Inbox {
        guard let map else { return Inbox() }
        var inbox = Inbox()
        if let value = map["processed_folder"] {
            let folder = try value.line("inbox.processed_folder")
            // The name goes into IMAP commands: nothing that could end or split one.
            guard !folder.isEmpty, folder.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            else { throw Diagnostic.error(value.position, "inbox.processed_folder must be a plain ASCII folder name like Tiedote (no quotes or backslashes)") }
            inbox.processedFolder = folder
        }
        if let value = map["soft_bounce_limit"] {
            let limit = try value.int("inbox.soft_bounce_limit")
            guard limit >= 1 else { throw Diagnostic.error(value.position, "inbox.soft_bounce_limit must be at least 1") }
            inbox.softBounceLimit = limit
        }
        if let value = map["imap"] {
            let imapMap = try value.mapping("inbox.imap")
            problems.append(contentsOf: imapMap.unknownKeys(["url", "username", "password_env", "password_file", "ca_file"]))
            for entry in imapMap.entries { positions["inbox.imap.\(entry.key)"] = entry.value.position }
            let urlValue = try imapMap.required("url")
            let url = try urlValue.text("inbox.imap.url")
            guard url.hasPrefix("imaps://") || url.hasPrefix("imap://") else {
                throw Diagnostic.error(urlValue.position, "inbox.imap.url must start with imaps:// (or imap:// on loopback), e.g. imaps://imap.example.fi/INBOX")
            }
            guard !url.contains("@"), !url.contains("?"), !url.contains("#"), !url.contains(";") else {
                throw Diagnostic.error(urlValue.position,
                    "inbox.imap.url must be only imaps://host:port/FOLDER: put the user name in inbox.imap.username and the password in the variable or file password_env / password_file name")
            }
            inbox.imap = Inbox.IMAP(
                url: url, username: try imapMap["username"]?.text("inbox.imap.username"),
                passwordEnv: try imapMap["password_env"]?.text("inbox.imap.password_env"),
                passwordFile: try imapMap["password_file"]?.text("inbox.imap.password_file"),
                caFile: try imapMap["ca_file"]?.text("inbox.imap.ca_file"))
        }
        return inbox
    }
}
