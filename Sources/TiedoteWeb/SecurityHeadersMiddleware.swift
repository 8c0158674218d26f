import Hummingbird

/// Headers on every response: a Content-Security-Policy that allows no script at all and
/// styles only from the site's own stylesheet, no MIME sniffing, no framing, and no Referer
/// (the pages' URLs carry tokens).
struct SecurityHeadersMiddleware: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; "
            + "base-uri 'none'; frame-ancestors 'none'"
    }

    /// Headers HTTPTypes has no constant for.
    static let extra: [(HTTPFields.Element.Name, String)] = [
        ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
    ].compactMap { name, value in HTTPFields.Element.Name(name).map { ($0, value) } }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        for (name, value) in Self.extra { response.headers[name] = value }
        return response
    }
}
