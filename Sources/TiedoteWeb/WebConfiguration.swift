import Crypto
import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteSite

/// Everything `tiedote serve` needs, gathered by the command (or a test) before the app is built.
public struct WebConfiguration: Sendable {
    /// The workspace the lists and settings come from.
    public var workspace: Workspace
    /// The static site, built in memory.
    public var site: Site
    /// The signing secret of both token kinds (unsubscribe and subscription).
    public var secret: Secret
    /// The address readers reach the server at (links in confirmation mail), no trailing slash.
    public var publicURL: String
    /// Host and port to listen on.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// Opens a connection to the mail transport (outbox or SMTP), one per confirmation mail.
    public var makeTransport: @Sendable () throws -> any Transport
    /// Subscription requests one client may post per hour (subscription bombing).
    public var subscribesPerHour: Int
    /// The clock (Unix seconds); tests may fix it.
    public var now: @Sendable () -> Int
    /// Where the access log goes, one line at a time (addresses only as digests).
    public var log: @Sendable (String) -> Void

    /// Creates a configuration.
    public init(
        workspace: Workspace, site: Site, secret: Secret, publicURL: String, host: String, port: Int,
        makeTransport: @escaping @Sendable () throws -> any Transport, subscribesPerHour: Int = 10,
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) },
        log: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    ) {
        self.workspace = workspace
        self.site = site
        self.secret = secret
        var url = publicURL
        while url.hasSuffix("/") { url.removeLast() }
        self.publicURL = url
        self.host = host
        self.port = port
        self.makeTransport = makeTransport
        self.subscribesPerHour = subscribesPerHour
        self.now = now
        self.log = log
    }

    /// The lists a form may offer: those under `lists:` in `tiedote.yml`, sorted; the first is the default.
    public var lists: [String] { workspace.settings.lists.keys.sorted() }

    /// A short digest of an address for logs, keyed with the secret so that it cannot be
    /// reversed by hashing guesses: the same address gives the same digest, never the address.
    public func digest(_ address: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("tiedote-log-v1\n\(Subscriber.key(address))".utf8), using: SymmetricKey(data: Data(secret.value.utf8)))
        return mac.prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
