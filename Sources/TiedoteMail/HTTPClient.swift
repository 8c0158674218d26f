/// HTTPS requests through libcurl (the same shim as SMTP): JSON APIs such as the regional
/// calendar's. `http://` is allowed only to this machine (tests); certificates are verified.
public struct HTTPClient: Sendable {
    /// Seconds a whole request may take.
    public var timeout: Int
    /// A CA bundle for private servers; nil for the system's.
    public var caFile: String?

    /// Creates a client.
    public init(timeout: Int = 60, caFile: String? = nil) {
        self.timeout = timeout
        self.caFile = caFile
    }

    /// Sends one request and returns the server's answer, whatever its status; throws only
    /// when there is no answer (network, TLS) or the request cannot be made.
    public func request(
        _ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil
    ) throws(HTTPError) -> HTTPResponse {
        try Self.checkURL(url)
        var lines: [String] = []
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            // No CR or LF may reach the request: a header value could otherwise add headers.
            guard !name.contains(where: \.isNewline), !value.contains(where: \.isNewline), !name.contains(":") else {
                throw HTTPError(.configuration, "the header '\(name)' contains a line break")
            }
            lines.append("\(name): \(value)")
        }
        let request = try CurlHTTPRequest()
        let (status, bytes) = try request.perform(
            method: method, url: url, headers: lines, body: body, timeout: timeout, caFile: caFile)
        return HTTPResponse(status: status, body: bytes)
    }

    /// `https://` anywhere, `http://` only to 127.0.0.1, ::1 or localhost.
    public static func checkURL(_ url: String) throws(HTTPError) {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return }
        guard lower.hasPrefix("http://") else { throw HTTPError(.configuration, "'\(url)' is not an https:// address") }
        let authority = lower.dropFirst(7).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
        guard ["127.0.0.1", "localhost", "[::1]"].contains(host) else {
            throw HTTPError(.configuration, "'\(url)' is plain http: use https:// (http:// only to a server on this machine)")
        }
    }
}

/// A server's answer.
public struct HTTPResponse: Sendable, Hashable {
    /// The HTTP status (`201`).
    public var status: Int
    /// The body's bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A request that got no answer, or could not be made.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public enum Kind: Sendable, Hashable {
        /// Bad URL or options: retrying does not help.
        case configuration
        /// TLS failed (certificate, handshake).
        case tls
        /// No answer: refused, reset, timed out, dropped.
        case network
    }

    /// Why.
    public var kind: Kind
    /// libcurl's words.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
