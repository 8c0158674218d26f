import CCurl
import TiedoteCore

// The only file that imports CCurl: every libcurl handle, option and CURLcode stays here.

/// libcurl's global state, set up once before any handle (thread-safe through `static let`).
private let curlGlobal: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One SMTP connection: a libcurl easy handle kept alive across messages, so libcurl reuses
/// the connection (no new TCP, TLS or AUTH per message).
final class CurlSMTPConnection {
    /// What the SMTP dialogue last did, so a failure can be told apart by stage.
    enum Stage: Sendable {
        case connecting, mailFrom, recipient, data
    }

    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var offset = 0
    /// Runs once when the whole body has been read, before libcurl may end the DATA.
    private var beforeCommit: (() throws -> Void)?
    /// What `beforeCommit` threw; the transfer was aborted before the end of data.
    private var commitError: Error?
    /// True once the read callback has said "no more" (past the gate): from then on libcurl
    /// may send the end of data, so the server may have taken the message.
    private var bodyEnded = false
    /// The server's last reply line (`250 2.0.0 Ok: queued as …`), as bytes with its line end;
    /// made a String only once the message's fate is known.
    private var lastReplyBytes: [UInt8] = []
    /// The last command sent.
    private(set) var stage = Stage.connecting
    private var quitting = false

    /// Opens a handle configured for `configuration`; connects lazily on the first send.
    init(_ configuration: SMTPConfiguration) throws(MailError) {
        guard curlGlobal == CURLE_OK else { throw MailError(.configuration, "libcurl could not be initialised") }
        guard let handle = curl_easy_init() else { throw MailError(.configuration, "libcurl could not create a handle") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(configuration)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let recipients { curl_slist_free_all(recipients) }
        errorBuffer.deallocate()
    }

    // MARK: - The one choke point for CURLcode

    private func check(_ code: CURLcode, _ what: String) throws(MailError) {
        guard code != CURLE_OK else { return }
        throw MailError(.configuration, "libcurl refused \(what): \(Self.text(code))")
    }

    private static func text(_ code: CURLcode) -> String {
        guard let message = curl_easy_strerror(code) else { return "error \(code.rawValue)" }
        return String(cString: message)
    }

    private func set(_ option: CURLoption, _ value: Int, _ what: String) throws(MailError) {
        try check(tiedote_curl_setopt_long(handle, option, value), what)
    }

    private func set(_ option: CURLoption, _ value: String, _ what: String) throws(MailError) {
        // libcurl copies string options, so the temporary C string may go away afterwards.
        try check(value.withCString { tiedote_curl_setopt_string(handle, option, $0) }, what)
    }

    private func configure(_ configuration: SMTPConfiguration) throws(MailError) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "the error buffer")
        try set(CURLOPT_URL, configuration.curlURL, "the URL \(configuration.url)")
        try set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        try set(CURLOPT_UPLOAD, 1, "UPLOAD")
        try set(CURLOPT_CONNECTTIMEOUT, configuration.connectTimeout, "the connect timeout")
        try set(CURLOPT_TIMEOUT, configuration.messageTimeout, "the transfer timeout")
        let useSSL: curl_usessl
        switch configuration.tls {
        case .required: useSSL = CURLUSESSL_ALL
        case .opportunistic: useSSL = CURLUSESSL_TRY
        case .none: useSSL = CURLUSESSL_NONE
        }
        try set(CURLOPT_USE_SSL, Int(useSSL.rawValue), "the TLS policy")
        if let caFile = configuration.caFile {
            try set(CURLOPT_CAINFO, caFile, "the CA file \(caFile)")
        }
        if let username = configuration.username {
            try set(CURLOPT_USERNAME, username, "the user name")
            if let password = configuration.password {
                try set(CURLOPT_PASSWORD, password.value, "the password")
            }
        }
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_READDATA, this), "READDATA")
        try check(tiedote_curl_setopt_io_callback(handle, CURLOPT_READFUNCTION, curlRead), "READFUNCTION")
        // The debug callback sees every reply line: the only way to keep the server's text.
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, this), "DEBUGDATA")
        try check(tiedote_curl_setopt_debug_callback(handle, CURLOPT_DEBUGFUNCTION, curlDebug), "DEBUGFUNCTION")
        try set(CURLOPT_VERBOSE, 1, "VERBOSE")
    }

    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, body.count - offset)
        guard count > 0 else {
            // libcurl sends the end of data (`.`) once this returns 0: the last moment to wait.
            if let gate = beforeCommit {
                beforeCommit = nil
                do { try gate() } catch {
                    commitError = error
                    return Int(CURL_READFUNC_ABORT)
                }
            }
            bodyEnded = true
            return 0
        }
        body.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: start + offset, byteCount: count)
        }
        offset += count
        return count
    }

    fileprivate func debug(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, _ size: Int) {
        guard type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return }
        let line = UnsafeRawBufferPointer(start: data, count: size)
        if type == CURLINFO_HEADER_IN {
            // After a failure libcurl says QUIT; its "221 Bye" must not hide the reply that
            // decided the message's fate.
            if !quitting { lastReplyBytes = Array(line) }
            return
        }
        switch Self.commandWord(line) {
        case Self.mail: stage = .mailFrom
        case Self.rcpt: stage = .recipient
        case Self.data: stage = .data
        case Self.quit: quitting = true
        default: break
        }
    }

    private static let mail = commandWord("MAIL".utf8), rcpt = commandWord("RCPT".utf8)
    private static let data = commandWord("DATA".utf8), quit = commandWord("QUIT".utf8)

    /// A command's first four bytes as one number, upper-cased (bit 5 cleared), so a command
    /// line is told apart without making a String of it.
    private static func commandWord(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var word: UInt32 = 0
        var count = 0
        for byte in bytes.prefix(4) {
            word = word << 8 | UInt32(byte & 0xDF)
            count += 1
        }
        return count == 4 ? word : 0
    }

    /// The last reply line as text, without its line end.
    private var lastReply: String {
        String(decoding: lastReplyBytes, as: UTF8.self).trimmingLineEnd
    }

    /// Hands one message to the server for one recipient; `beforeCommit` runs once the body
    /// has gone out and before the end of data (what it throws is rethrown, nothing taken).
    ///
    /// Returns the CURLcode's meaning: nil error text and the reply code on success.
    func send(
        from: MailAddress, to: MailAddress, message: [UInt8], beforeCommit: () throws -> Void
    ) throws -> CurlResult {
        try withoutActuallyEscaping(beforeCommit) { gate in
            self.beforeCommit = gate
            defer {
                self.beforeCommit = nil
                commitError = nil
            }
            let result = try perform(from: from, to: to, message: message)
            if let commitError { throw commitError }
            return result
        }
    }

    private func perform(from: MailAddress, to: MailAddress, message: [UInt8]) throws(MailError) -> CurlResult {
        try set(CURLOPT_MAIL_FROM, "<\(from.value)>", "the envelope sender")
        if let recipients { curl_slist_free_all(recipients) }
        recipients = curl_slist_append(nil, "<\(to.value)>")
        guard let recipients else { throw MailError(.configuration, "out of memory for the recipient list") }
        try check(tiedote_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients), "the recipient")
        body = message
        offset = 0
        bodyEnded = false
        lastReplyBytes = []
        quitting = false
        stage = .connecting
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        let uploaded = bodyEnded
        body = []
        var reply = 0
        _ = tiedote_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        if code == CURLE_OK {
            return CurlResult(status: .ok, replyCode: reply, replyText: lastReply, stage: stage, uploaded: uploaded)
        }
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : Self.text(code)
        let status: CurlResult.Status
        switch code {
        case CURLE_USE_SSL_FAILED:
            status = .tlsUnavailable(detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND:
            status = .tlsFailed(detail)
        case CURLE_LOGIN_DENIED:
            status = .loginDenied(detail)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_COULDNT_RESOLVE_HOST:
            status = .badConfiguration(detail)
        case CURLE_COULDNT_CONNECT:
            status = .couldNotConnect(detail)
        default:
            status = .transferFailed(detail)
        }
        return CurlResult(status: status, replyCode: reply, replyText: lastReply, stage: stage, uploaded: uploaded)
    }
}

/// What one `curl_easy_perform` came to, in Swift terms.
struct CurlResult: Sendable {
    /// How the transfer ended.
    enum Status: Sendable {
        case ok
        case tlsUnavailable(String)
        case tlsFailed(String)
        case loginDenied(String)
        case badConfiguration(String)
        case couldNotConnect(String)
        case transferFailed(String)
    }

    var status: Status
    /// The last SMTP reply code (0 when there was none).
    var replyCode: Int
    /// The last SMTP reply line.
    var replyText: String
    /// The last command sent when it ended.
    var stage: CurlSMTPConnection.Stage
    /// True when libcurl had read the whole message and passed the commit gate (the end of
    /// DATA may have gone out).
    var uploaded: Bool
}

private let curlRead: tiedote_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let connection = Unmanaged<CurlSMTPConnection>.fromOpaque(userdata).takeUnretainedValue()
    return connection.read(into: buffer, capacity: size * count)
}

private let curlDebug: tiedote_curl_debug_callback = { _, type, data, size, userdata in
    guard let data, let userdata else { return 0 }
    let connection = Unmanaged<CurlSMTPConnection>.fromOpaque(userdata).takeUnretainedValue()
    connection.debug(type, data, size)
    return 0
}

extension String {
    /// Without trailing CR and LF.
    var trimmingLineEnd: String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        return String(text)
    }
}

// MARK: - IMAP

/// One IMAP connection: a libcurl easy handle reused across commands, so the login and the
/// selected mailbox carry over (libcurl selects the URL's mailbox when it is not selected yet).
final class CurlIMAPConnection {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let configuration: IMAPConfiguration
    /// What the write callback received: untagged replies of a command, or a fetched message.
    private var received: [UInt8] = []
    /// The server's last line, for error messages.
    private var lastLine: [UInt8] = []
    /// Set when `received` would pass its cap: the transfer is aborted.
    private var overflow = false
    private var cap = 0

    /// Opens a handle for `configuration`; connects on the first command.
    init(_ configuration: IMAPConfiguration) throws(MailError) {
        guard curlGlobal == CURLE_OK else { throw MailError(.configuration, "libcurl could not be initialised") }
        guard let handle = curl_easy_init() else { throw MailError(.configuration, "libcurl could not create a handle") }
        self.handle = handle
        self.configuration = configuration
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode, _ what: String) throws(MailError) {
        guard code != CURLE_OK else { return }
        let message = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
        throw MailError(.configuration, "libcurl refused \(what): \(message)")
    }

    private func set(_ option: CURLoption, _ value: Int, _ what: String) throws(MailError) {
        try check(tiedote_curl_setopt_long(handle, option, value), what)
    }

    private func set(_ option: CURLoption, _ value: String?, _ what: String) throws(MailError) {
        guard let value else {
            try check(tiedote_curl_setopt_pointer(handle, option, nil), what)
            return
        }
        try check(value.withCString { tiedote_curl_setopt_string(handle, option, $0) }, what)
    }

    private func configure() throws(MailError) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "the error buffer")
        try set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        try set(CURLOPT_CONNECTTIMEOUT, configuration.connectTimeout, "the connect timeout")
        try set(CURLOPT_TIMEOUT, configuration.commandTimeout, "the command timeout")
        // imaps:// is TLS from the start; imap:// is allowed only on loopback, without TLS.
        let useSSL = configuration.isImplicitTLS ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try set(CURLOPT_USE_SSL, Int(useSSL.rawValue), "the TLS policy")
        if let caFile = configuration.caFile { try set(CURLOPT_CAINFO, caFile, "the CA file \(caFile)") }
        if let username = configuration.username {
            try set(CURLOPT_USERNAME, username, "the user name")
            if let password = configuration.password { try set(CURLOPT_PASSWORD, password.value, "the password") }
        }
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, this), "WRITEDATA")
        try check(tiedote_curl_setopt_io_callback(handle, CURLOPT_WRITEFUNCTION, curlIMAPWrite), "WRITEFUNCTION")
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, this), "DEBUGDATA")
        try check(tiedote_curl_setopt_debug_callback(handle, CURLOPT_DEBUGFUNCTION, curlIMAPDebug), "DEBUGFUNCTION")
        try set(CURLOPT_VERBOSE, 1, "VERBOSE")
    }

    fileprivate func write(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard received.count + count <= cap else {
            overflow = true
            return 0
        }
        received.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    fileprivate func debug(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, _ size: Int) {
        guard type == CURLINFO_HEADER_IN else { return }
        // Only short lines: a fetched literal passes here too and must not be kept.
        if size < 1000 { lastLine = Array(UnsafeRawBufferPointer(start: data, count: size)) }
    }

    /// Runs `command` (nil: fetch the URL) on `path` (after the server, percent-encoded) and
    /// returns what the server sent back: untagged lines, or the fetched message.
    func perform(path: String, command: String?, cap: Int) throws(MailError) -> [UInt8] {
        try set(CURLOPT_URL, configuration.server + "/" + path, "the URL")
        try set(CURLOPT_CUSTOMREQUEST, command, "the IMAP command")
        received = []
        lastLine = []
        overflow = false
        self.cap = cap
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        defer { received = [] }
        if code == CURLE_OK { return received }
        if overflow { throw MailError(.io, "the server sent more than \(cap / 1_048_576) MB for one command") }
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : (curl_easy_strerror(code).map { String(cString: $0) } ?? "")
        let reply = String(decoding: lastLine, as: UTF8.self).trimmingLineEnd
        switch code {
        case CURLE_LOGIN_DENIED:
            throw MailError(.authentication, "the IMAP server refused the user name or password (\(reply)): check inbox.imap.username and the password")
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM:
            throw MailError(.tls, "TLS with the IMAP server failed: \(detail)")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            throw MailError(.connection, "could not connect to the IMAP server \(configuration.server): \(detail)")
        case CURLE_REMOTE_FILE_NOT_FOUND:
            throw MailError(.connection, "the IMAP server no longer has what was asked for (\(detail)); \(reply)")
        case CURLE_QUOTE_ERROR:
            throw MailError(.connection, "the IMAP server refused \(command.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } ?? "the fetch"): \(reply)")
        default:
            throw MailError(.connection, "the IMAP connection failed: \(detail)" + (reply.isEmpty ? "" : " (last reply: \(reply))"))
        }
    }
}

private let curlIMAPWrite: tiedote_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let connection = Unmanaged<CurlIMAPConnection>.fromOpaque(userdata).takeUnretainedValue()
    return connection.write(buffer, size * count)
}

private let curlIMAPDebug: tiedote_curl_debug_callback = { _, type, data, size, userdata in
    guard let data, let userdata else { return 0 }
    Unmanaged<CurlIMAPConnection>.fromOpaque(userdata).takeUnretainedValue().debug(type, data, size)
    return 0
}
