import Hummingbird

/// Turns every error into a short Finnish page with the right status: no stack trace, no
/// path, no error text reaches a client; unexpected errors are logged (without input) instead.
struct ErrorPageMiddleware: RouterMiddleware {
    let pages: WebPages
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return pages.response(error.status, pages.status(error.status))
        } catch {
            log("error: \(request.method) \(request.uri.path): \(type(of: error))")
            return pages.response(.internalServerError, pages.status(.internalServerError))
        }
    }
}
