import Foundation
import Hummingbird

/// One log line per request: method, path (never the query: it holds tokens), status and
/// time taken. Handlers log addresses only as digests.
struct AccessLogMiddleware: RouterMiddleware {
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        log(String(format: "%@ %@ %d %.1f ms", "\(request.method)", String(request.uri.path.prefix(200)), response.status.code, milliseconds))
        return response
    }
}
