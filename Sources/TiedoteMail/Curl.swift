import CCurl
import Foundation
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

    // C interop: libcurl's handle, its error buffer and its recipient list are C memory.
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var offset = 0
    /// Makes the body when libcurl first asks for it (after the relay's 354), so the message
    /// is made while the dialogue before it goes on.
    private var bodySource: (() throws -> [UInt8])?
    /// What `bodySource` threw; the transfer was aborted before any of the body went out.
    private var bodyError: Error?
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
    /// True once the server answered DATA with 354: only then can the message arrive.
    private var dataAccepted = false

    /// One wait for the relay: what for, how long at most, and since when.
    private struct Wait {
        var what: String
        var limit: Int
        var setting: String
        var since: Double
        var noticed: Double?
    }

    private let timeouts: SMTPTimeouts
    private let url: String
    private let waitNotice: (@Sendable (SMTPWait) -> Void)?
    private let noticeAfter: Double
    /// What the dialogue waits for now (nil while this side has the turn).
    private var waiting: Wait?
    /// The recipient of the message under way, for wait notices.
    private var recipient = ""
    /// Why the transfer was aborted, when a step took longer than its timeout.
    private var timedOut: String?
    /// The connection's socket (-1 before the first), only ever shut down, never closed here.
    private var socket: Int32 = -1

    /// Opens a handle configured for `configuration`; connects lazily on the first send.
    init(_ configuration: SMTPConfiguration) throws(MailError) {
        guard curlGlobal == CURLE_OK else { throw MailError(.configuration, "libcurl could not be initialised") }
        guard let handle = curl_easy_init() else { throw MailError(.configuration, "libcurl could not create a handle") }
        self.handle = handle
        timeouts = configuration.timeouts
        url = configuration.url
        waitNotice = configuration.waitNotice
        noticeAfter = configuration.noticeAfter
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
        // Connecting covers TLS, the greeting, EHLO and AUTH (libcurl's connect phase). Every
        // later wait has its own limit, enforced in `tick`; libcurl's reply timeout is only a
        // backstop above them all, and there is no limit on the whole transfer.
        try set(CURLOPT_CONNECTTIMEOUT, timeouts.connect, "the connect timeout")
        let backstop = max(timeouts.command, timeouts.data, timeouts.endOfData) + 30
        try set(CURLOPT_SERVER_RESPONSE_TIMEOUT, backstop, "the reply timeout")
        try set(CURLOPT_NOPROGRESS, 0, "NOPROGRESS")
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, this), "XFERINFODATA")
        try check(tiedote_curl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, curlTick), "XFERINFOFUNCTION")
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_SOCKOPTDATA, this), "SOCKOPTDATA")
        try check(tiedote_curl_setopt_sockopt_callback(handle, CURLOPT_SOCKOPTFUNCTION, curlSocket), "SOCKOPTFUNCTION")
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

    // C interop: libcurl's read callback fills libcurl's own buffer.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        if let source = bodySource {
            bodySource = nil
            do { body = try source() } catch {
                bodyError = error
                return Int(CURL_READFUNC_ABORT)
            }
        }
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
            startWaiting(
                for: "the reply to the end of the message", limit: timeouts.endOfData,
                setting: "delivery.smtp.timeouts.end_of_data")
            return 0
        }
        startWaiting(for: "the relay to take more of the message", limit: timeouts.data, setting: "delivery.smtp.timeouts.data")
        body.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: start + offset, byteCount: count)
        }
        offset += count
        return count
    }

    // C interop: libcurl hands each protocol line as a pointer and a length into its buffer.
    fileprivate func debug(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, _ size: Int) {
        guard type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return }
        let line = UnsafeRawBufferPointer(start: data, count: size)
        if type == CURLINFO_HEADER_IN {
            // After a failure libcurl says QUIT; its "221 Bye" must not hide the reply that
            // decided the message's fate.
            if !quitting { lastReplyBytes = Array(line) }
            // Only a final reply line ends a wait: a continuation or garbage does not.
            if let code = Self.finalReplyCode(line) {
                waiting = nil
                if stage == .data && code == 354 { dataAccepted = true }
            }
            return
        }
        let word = Self.commandWord(line)
        switch word {
        case Self.mail: stage = .mailFrom
        case Self.rcpt: stage = .recipient
        case Self.data: stage = .data
        case Self.quit: quitting = true
        default: break
        }
        // The end of data (`.`) is no command: its wait starts in `read`.
        guard line.first != 46 else { return }
        // A known command's name only: an AUTH line, and the lines after it, carry credentials.
        let what = Self.commandNames[word].map { "the reply to \($0)" } ?? "the relay's reply"
        startWaiting(for: what, limit: timeouts.command, setting: "delivery.smtp.timeouts.command")
    }

    /// The commands libcurl's SMTP sends, by their first four bytes (see `commandWord`).
    static let commandNames: [UInt32: String] = Dictionary(
        uniqueKeysWithValues: [
            ("EHLO", "EHLO"), ("HELO", "HELO"), ("STAR", "STARTTLS"), ("AUTH", "AUTH"), ("MAIL", "MAIL FROM"),
            ("RCPT", "RCPT TO"), ("DATA", "DATA"), ("QUIT", "QUIT"), ("RSET", "RSET"), ("NOOP", "NOOP"),
        ].map { (commandWord($0.0.utf8), $0.1) })

    /// The code of a last reply line (`250 OK`, `354`), nil for a continuation (`250-…`) or
    /// anything that is not a reply.
    static func finalReplyCode(_ line: some RandomAccessCollection<UInt8>) -> Int? {
        guard line.count >= 3, line.prefix(3).allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        if line.count > 3, ![32, 13, 10].contains(line[line.index(line.startIndex, offsetBy: 3)]) { return nil }
        return line.prefix(3).reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    private func startWaiting(for what: String, limit: Int, setting: String) {
        waiting = Wait(what: what, limit: limit, setting: setting, since: monotonicSeconds())
    }

    /// Cuts the connection to a relay that stopped answering: libcurl's polite QUIT would wait
    /// for it too (up to the backstop, with no progress calls). libcurl still closes the socket.
    private func cutConnection() {
        guard socket >= 0 else { return }
        _ = shutdown(socket, Int32(SHUT_RDWR))
    }

    /// libcurl opened `socket` for this handle's connection.
    fileprivate func opened(_ socket: Int32) {
        self.socket = socket
    }

    /// Called by libcurl about once a second: ends a wait that passed its limit (returning
    /// non-zero aborts the transfer) and tells the console about a long one.
    fileprivate func tick() -> Int32 {
        // Once a step has timed out, the rest of this transfer (libcurl's QUIT included) is cut.
        if timedOut != nil { return 1 }
        guard var wait = waiting else { return 0 }
        let now = monotonicSeconds()
        let elapsed = now - wait.since
        if elapsed >= Double(wait.limit) {
            timedOut = "\(wait.what) did not come within \(wait.limit) s (\(wait.setting))"
            waiting = nil
            cutConnection()
            return 1
        }
        if let waitNotice, elapsed >= noticeAfter, wait.noticed.map({ now - $0 >= 30 }) ?? true {
            wait.noticed = now
            waiting = wait
            waitNotice(SMTPWait(
                url: url, recipient: recipient, what: wait.what, seconds: Int(elapsed), limit: wait.limit,
                setting: wait.setting))
        }
        return 0
    }

    private static let mail = commandWord("MAIL".utf8), rcpt = commandWord("RCPT".utf8)
    private static let data = commandWord("DATA".utf8), quit = commandWord("QUIT".utf8)

    /// A command's first four bytes as one number, upper-cased (bit 5 cleared), so a command
    /// line is told apart without making a String of it.
    static func commandWord(_ bytes: some Sequence<UInt8>) -> UInt32 {
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
    /// `body` is asked for only once the server has answered DATA; what it throws comes back
    /// as `UnmadeMessage`, with nothing sent of the body.
    ///
    /// Returns the CURLcode's meaning: nil error text and the reply code on success.
    func send(
        from: MailAddress, to: MailAddress, body: () throws -> [UInt8], beforeCommit: () throws -> Void
    ) throws -> CurlResult {
        try withoutActuallyEscaping(body) { source in
            try withoutActuallyEscaping(beforeCommit) { gate in
                self.bodySource = source
                self.beforeCommit = gate
                defer {
                    self.bodySource = nil
                    self.beforeCommit = nil
                    commitError = nil
                    bodyError = nil
                }
                let result = try perform(from: from, to: to)
                if let bodyError { throw UnmadeMessage(bodyError) }
                if let commitError { throw commitError }
                return result
            }
        }
    }

    private func perform(from: MailAddress, to: MailAddress) throws(MailError) -> CurlResult {
        try set(CURLOPT_MAIL_FROM, "<\(from.value)>", "the envelope sender")
        if let recipients { curl_slist_free_all(recipients) }
        recipients = curl_slist_append(nil, "<\(to.value)>")
        guard let recipients else { throw MailError(.configuration, "out of memory for the recipient list") }
        try check(tiedote_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients), "the recipient")
        body = []
        offset = 0
        bodyEnded = false
        lastReplyBytes = []
        quitting = false
        stage = .connecting
        dataAccepted = false
        waiting = nil
        timedOut = nil
        recipient = to.value
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        let uploaded = bodyEnded
        body = []
        waiting = nil
        var reply = 0
        _ = tiedote_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        if code == CURLE_OK {
            return CurlResult(
                status: .ok, replyCode: reply, replyText: lastReply, stage: stage, uploaded: uploaded,
                dataAccepted: dataAccepted, timedOut: nil)
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
        return CurlResult(
            status: status, replyCode: reply, replyText: lastReply, stage: stage, uploaded: uploaded,
            dataAccepted: dataAccepted, timedOut: timedOut)
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
    /// True when the server had answered DATA with 354.
    var dataAccepted: Bool
    /// What did not come in time, when a step's timeout ended the transfer.
    var timedOut: String?
}

private let curlRead: tiedote_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let connection = Unmanaged<CurlSMTPConnection>.fromOpaque(userdata).takeUnretainedValue()
    return connection.read(into: buffer, capacity: size * count)
}

private let curlTick: tiedote_curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<CurlSMTPConnection>.fromOpaque(userdata).takeUnretainedValue().tick()
}

private let curlSocket: tiedote_curl_sockopt_callback = { userdata, socket, _ in
    if let userdata { Unmanaged<CurlSMTPConnection>.fromOpaque(userdata).takeUnretainedValue().opened(socket) }
    return Int32(CURL_SOCKOPT_OK)
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

// MARK: - HTTP

/// One HTTP request through a libcurl easy handle of its own: the method, headers and body
/// go in, the status and body come back. TLS certificates are always verified.
final class CurlHTTPRequest {
    // C interop: libcurl's handle, error buffer and header list are C memory.
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var response: [UInt8] = []

    /// Opens a handle; nothing is sent until `perform`.
    init() throws(HTTPError) {
        guard curlGlobal == CURLE_OK else { throw HTTPError(.configuration, "libcurl could not be initialised") }
        guard let handle = curl_easy_init() else { throw HTTPError(.configuration, "libcurl could not create a handle") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// The one choke point for this class's CURLcodes.
    private func check(_ code: CURLcode, _ what: String) throws(HTTPError) {
        guard code != CURLE_OK else { return }
        let text = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
        throw HTTPError(.configuration, "libcurl refused \(what): \(text)")
    }

    // C interop: libcurl's write callback hands a pointer and a length into its buffer.
    fileprivate func received(_ buffer: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        response.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: count))
        return count
    }

    /// Sends the request; a transport failure (no answer) is thrown, any HTTP status returned.
    func perform(
        method: String, url: String, headers: [String], body: String?, timeout: Int, caFile: String?
    ) throws(HTTPError) -> (status: Int, body: [UInt8]) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "the error buffer")
        try check(url.withCString { tiedote_curl_setopt_string(handle, CURLOPT_URL, $0) }, "the URL")
        try check(tiedote_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(tiedote_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 15), "the connect timeout")
        try check(tiedote_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeout), "the timeout")
        try check(tiedote_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "TLS verification")
        try check(tiedote_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "TLS host verification")
        if let caFile {
            try check(caFile.withCString { tiedote_curl_setopt_string(handle, CURLOPT_CAINFO, $0) }, "the CA file")
        }
        for header in headers { headerList = curl_slist_append(headerList, header) }
        try check(tiedote_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "the headers")
        if let body {
            try check(tiedote_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.utf8.count)), "the body size")
            try check(body.withCString { tiedote_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, $0) }, "the body")
        } else {
            try check(tiedote_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        }
        try check(method.withCString { tiedote_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, $0) }, "the method")
        try check(tiedote_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, this), "WRITEDATA")
        try check(tiedote_curl_setopt_io_callback(handle, CURLOPT_WRITEFUNCTION, curlHTTPWrite), "WRITEFUNCTION")
        response = []
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : (curl_easy_strerror(code).map { String(cString: $0) } ?? "")
            switch code {
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
                throw HTTPError(.tls, detail)
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
                throw HTTPError(.configuration, detail)
            default:
                throw HTTPError(.network, detail)
            }
        }
        var status = 0
        _ = tiedote_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, response)
    }
}

private let curlHTTPWrite: tiedote_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let request = Unmanaged<CurlHTTPRequest>.fromOpaque(userdata).takeUnretainedValue()
    return request.received(buffer, size * count)
}

// MARK: - IMAP

/// One IMAP connection: a libcurl easy handle reused across commands, so the login and the
/// selected mailbox carry over (libcurl selects the URL's mailbox when it is not selected yet).
final class CurlIMAPConnection {
    // C interop: libcurl's handle and error buffer are C memory.
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

    // C interop: libcurl's write callback hands a pointer and a length into its buffer.
    fileprivate func write(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard received.count + count <= cap else {
            overflow = true
            return 0
        }
        received.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    // C interop: libcurl hands each protocol line as a pointer and a length into its buffer.
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
