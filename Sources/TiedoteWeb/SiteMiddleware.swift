import Hummingbird
import TiedoteSite

/// Serves the static site from memory for GET and HEAD: `/` and a folder's `/` are its
/// `index.html`. Anything else goes on to the routes.
struct SiteMiddleware: RouterMiddleware {
    /// The files by path.
    let files: [String: SiteFile]

    init(site: Site) {
        files = Dictionary(site.files.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, let file = file(for: request.uri.path) else {
            return try await next(request, context)
        }
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        headers[.cacheControl] = "public, max-age=300"
        guard request.method == .get else {
            headers[.contentLength] = String(file.data.count)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    /// The file a path names; nil when none (the path is only looked up, never used on a disk).
    func file(for path: String) -> SiteFile? {
        var key = String(path.drop { $0 == "/" })
        if key.isEmpty || key.hasSuffix("/") { key += "index.html" }
        return files[key]
    }
}
