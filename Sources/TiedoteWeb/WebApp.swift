import Hummingbird
import TiedoteCore

/// `tiedote serve` as a Hummingbird application: built here, by the one function the command
/// and the tests both call.
public enum WebApp {
    /// The router: the middleware stack (outermost first) and the routes.
    ///
    /// Errors become Finnish pages at the outside, so every response — even a 413 or 404 —
    /// passes the security headers and the access log.
    public static func router(_ configuration: WebConfiguration) -> Router<WebContext> {
        let pages = WebPages(network: configuration.workspace.settings.network.name)
        let router = Router(context: WebContext.self)
        router.add(middleware: AccessLogMiddleware(log: configuration.log))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorPageMiddleware(pages: pages, log: configuration.log))
        router.add(middleware: InputLimitsMiddleware())
        router.add(middleware: RateLimitMiddleware(
            limiter: RateLimiter(limit: configuration.subscribesPerHour, window: 3600), pages: pages, now: configuration.now))
        router.add(middleware: SiteMiddleware(site: configuration.site))
        router.get("/healthz") { _, _ in "ok\n" }
        SubscriptionRoutes(configuration: configuration, pages: pages).add(to: router)
        UnsubscribeRoutes(configuration: configuration, pages: pages).add(to: router)
        return router
    }

    /// The application listening where `configuration` says; `onListening` hears the bound
    /// port (useful with port 0).
    public static func application(
        _ configuration: WebConfiguration, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
    }
}
