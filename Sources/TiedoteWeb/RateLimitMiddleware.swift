import Hummingbird

/// The per-client limit on `POST /tilaa`: subscription bombing (signing strangers' addresses
/// up by the thousand) gets each client at most the limit per hour; past it, 429 with
/// Retry-After and no mail sent.
struct RateLimitMiddleware: RouterMiddleware {
    let limiter: RateLimiter
    let pages: WebPages
    let now: @Sendable () -> Int

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method == .post, request.uri.path == "/tilaa" else { return try await next(request, context) }
        guard limiter.allow(context.client, now: now()) else {
            var response = pages.response(.tooManyRequests, WebPages.message(
                title: "Liian monta tilausta", text: "Tästä osoitteesta on tehty liian monta tilausta lyhyessä ajassa. Yritä uudelleen tunnin kuluttua."))
            response.headers[.retryAfter] = "3600"
            return response
        }
        return try await next(request, context)
    }
}
