import Hummingbird

/// The per-request context: Hummingbird's core storage plus the client's address, which the
/// rate limit keys on (behind a reverse proxy every request comes from the proxy; see README).
public struct WebContext: RequestContext {
    /// Hummingbird's storage (logger, parameters, endpoint).
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or "unknown".
    public let client: String
    /// The POST body's fields, decoded and checked by `InputLimitsMiddleware`.
    public var form = FormFields()
    /// The query's fields, decoded and checked by `InputLimitsMiddleware`.
    public var query = FormFields()

    /// Made by Hummingbird for each request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies past this are refused before any handler reads them.
    public var maxUploadSize: Int { InputLimitsMiddleware.maximumBody }
}
