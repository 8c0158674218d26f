import TiedoteCore

/// Where and how to reach an SMTP relay, with no C types in sight.
public struct SMTPConfiguration: Sendable {
    /// `smtp://host:587` (STARTTLS per `tls`) or `smtps://host:465` (TLS from the start).
    public var url: String
    /// The TLS policy in force (after the loopback exemption, see `effectiveTLS`).
    public var tls: Settings.TLSPolicy
    /// A CA bundle (PEM) for a relay with a private certificate.
    public var caFile: String?
    /// AUTH user name.
    public var username: String?
    /// AUTH password.
    public var password: Secret?
    /// The name this machine gives in EHLO (the network's domain); libcurl says `localhost`
    /// otherwise, which some relays refuse.
    public var ehloName: String?
    /// How long to wait at each step (`delivery.smtp.timeouts`).
    public var timeouts: SMTPTimeouts
    /// Told when a wait for the relay has lasted `noticeAfter` seconds, and every 30 s after, so
    /// a slow relay never looks like a hung send.
    public var waitNotice: (@Sendable (SMTPWait) -> Void)?
    /// Seconds of waiting before the first notice.
    public var noticeAfter: Double

    /// Creates a configuration.
    public init(
        url: String, tls: Settings.TLSPolicy = .required, caFile: String? = nil, username: String? = nil,
        password: Secret? = nil, ehloName: String? = nil, timeouts: SMTPTimeouts = SMTPTimeouts(),
        waitNotice: (@Sendable (SMTPWait) -> Void)? = nil, noticeAfter: Double = 10
    ) {
        self.url = url
        self.ehloName = ehloName
        self.tls = tls
        self.caFile = caFile
        self.username = username
        self.password = password
        self.timeouts = timeouts
        self.waitNotice = waitNotice
        self.noticeAfter = noticeAfter
    }

    /// The host part of the URL (`smtp.example.fi`, `127.0.0.1`, `::1`).
    public var host: String? { Settings.SMTP.host(of: url) }

    /// The URL libcurl gets: a URL without a path carries the EHLO name as its path.
    var curlURL: String {
        guard let ehloName, !ehloName.isEmpty, let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/"), rest.index(after: slash) != rest.endIndex { return url }
        return (url.hasSuffix("/") ? url : url + "/") + ehloName
    }

    /// True when the relay is on this machine (`localhost`, `127.x.x.x`, `::1`).
    public var isLoopback: Bool {
        guard let host = host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
    }

    /// The policy to use: a relay on loopback needs no TLS unless the settings ask for it
    /// explicitly (`explicit` tells whether `tiedote.yml` named a policy).
    public static func effectiveTLS(configured: Settings.TLSPolicy, explicit: Bool, url: String) -> Settings.TLSPolicy {
        if explicit || configured != .required { return configured }
        return SMTPConfiguration(url: url).isLoopback ? .opportunistic : .required
    }

    /// Checks the URL and settings before any connection is made.
    public func validate() throws(MailError) {
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            throw MailError(.configuration, "SMTP URL \(MailAddress.visible(url)) must start with smtp:// or smtps://")
        }
        // A user, query or fragment could hide the real host from the loopback test (and a
        // password in the URL would be printed): only scheme://host:port is taken.
        guard !url.contains(where: { $0 == "@" || $0 == "?" || $0 == "#" }) else {
            throw MailError(.configuration, "SMTP URL must be only scheme://host:port, with no user name, password, query or fragment")
        }
        guard host != nil else { throw MailError(.configuration, "SMTP URL \(MailAddress.visible(url)) has no host") }
        try MIMEMessage.checkToken(url, header: "SMTP URL")
        if let ehloName { try MIMEMessage.checkToken(ehloName, header: "EHLO name") }
        if username != nil, password == nil {
            throw MailError(
                .authentication,
                "an SMTP user name is set but no password was found: set the environment variable or file that delivery.smtp.password_env / password_file names")
        }
    }
}

/// A wait for the relay that has lasted a while: what is awaited, for how long, and until when.
public struct SMTPWait: Sendable, Hashable, CustomStringConvertible {
    /// The relay's URL.
    public var url: String
    /// The recipient of the message under way.
    public var recipient: String
    /// What is awaited ("the reply to RCPT TO", "the reply to the end of the message").
    public var what: String
    /// Seconds waited so far.
    public var seconds: Int
    /// Seconds after which the wait ends.
    public var limit: Int
    /// The setting that sets `limit`.
    public var setting: String

    /// One line for the console.
    public var description: String {
        "waiting for \(what) from \(url) (message to \(recipient)): \(seconds) s so far, "
            + "giving up after \(limit) s (\(setting))"
    }
}

/// Sends over one SMTP connection through libcurl, reused from message to message.
public final class SMTPTransport: Transport {
    private let configuration: SMTPConfiguration
    private var connection: CurlSMTPConnection

    /// Prepares a connection; nothing is sent until the first message.
    public init(_ configuration: SMTPConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        connection = try CurlSMTPConnection(configuration)
    }

    /// Sends one message; throws only for problems that stop the whole run.
    public func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        try send(envelope: envelope, body: { message }, beforeCommit: beforeCommit)
    }

    /// Sends one message that `body` makes once the relay has answered DATA, so that making
    /// it overlaps the connection's set-up and the envelope's round trips; throws only for
    /// problems that stop the whole run, and `UnmadeMessage` when `body` threw.
    public func send(envelope: Envelope, body: () throws -> [UInt8], beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        let result: CurlResult
        do {
            result = try connection.send(from: envelope.from, to: envelope.to, body: body, beforeCommit: beforeCommit)
        } catch {
            // libcurl refused a setting, the message could not be made, or the commit gate
            // threw, and the transfer was cut before the end of data: nothing was taken. A
            // fresh handle keeps the transport usable (libcurl dropped the cut connection),
            // and its failure must not hide this error.
            try? reconnect()
            throw error
        }
        let code = result.replyCode
        let text = result.replyText
        switch result.status {
        case .ok:
            return .sent(code: code == 0 ? 250 : code, text: text)
        case .tlsUnavailable(let detail):
            throw MailError(
                .tls,
                "\(configuration.url) does not offer STARTTLS and TLS is required, so nothing was sent (\(detail)); use a relay with TLS, or set delivery.smtp.tls: opportunistic for a relay you trust")
        case .tlsFailed(let detail):
            throw MailError(
                .tls,
                "TLS with \(configuration.url) failed: \(detail); if the relay has a private certificate, set delivery.smtp.ca_file")
        case .loginDenied(let detail):
            throw MailError(.authentication, "\(configuration.url) refused the user name or password: \(detail) \(text)")
        case .badConfiguration(let detail):
            throw MailError(.configuration, "cannot use \(configuration.url): \(detail)")
        case .couldNotConnect(let detail):
            try reconnect()
            return .connectionLost(detail, maybeDelivered: false)
        case .transferFailed(let detail):
            if result.stage == .mailFrom, (500..<600).contains(code) {
                throw MailError(.configuration, "\(configuration.url) refused the sender \(envelope.from): \(text)")
            }
            if (400..<500).contains(code) {
                // 421 means the server is closing the connection (at the greeting too: too many
                // connections): start afresh next time. Nothing was taken; try later.
                if code == 421 || result.stage == .connecting { try reconnect() }
                return .deferred(code: code, text: text)
            }
            if (500..<600).contains(code), result.stage == .data {
                return .messageRefused(code: code, text: text)
            }
            if (500..<600).contains(code), result.stage != .connecting {
                return .failed(code: code, text: text)
            }
            try reconnect()
            // Only a message whose DATA the server accepted (354) and that went out whole can
            // have arrived: a garbled reply earlier leaves nothing uncertain.
            let maybeDelivered = result.stage == .data && result.dataAccepted && result.uploaded
            let what = result.timedOut ?? detail
            return .connectionLost(text.isEmpty ? what : "\(what) (last reply: \(text))", maybeDelivered: maybeDelivered)
        }
    }

    private func reconnect() throws {
        connection = try CurlSMTPConnection(configuration)
    }
}
