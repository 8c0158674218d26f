import Foundation
import Hummingbird

/// Checks every request's input before a handler sees it: the body's size, the number and
/// length of fields, and no CR, LF or NUL in any decoded name or value (query or body). The
/// decoded fields are handed on in the context, so handlers never parse raw input.
struct InputLimitsMiddleware: RouterMiddleware {
    /// The largest body accepted (the subscription form is well under 2 KB).
    static let maximumBody = 16 * 1024
    /// The longest value of any one field (a token is about 400 characters).
    static let maximumField = 2048
    /// The longest query string.
    static let maximumQuery = 4096

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let query = request.uri.query ?? ""
        guard query.utf8.count <= Self.maximumQuery else { throw HTTPError(.uriTooLong) }
        context.query = try Self.fields(query)
        if request.method == .post {
            let buffer = try await request.collectBody(upTo: Self.maximumBody)
            // Only our forms' encoding is read as fields. RFC 8058 also lets a mail client post
            // its one-click body as multipart/form-data: /peru needs nothing from it but the
            // query's token, so such a body is size-checked and otherwise left alone.
            if Self.isForm(request.headers[.contentType]) {
                context.form = try Self.fields(String(buffer: buffer))
            }
        }
        return try await next(request, context)
    }

    /// True for `application/x-www-form-urlencoded` (any parameters) or no content type.
    static func isForm(_ contentType: String?) -> Bool {
        guard let contentType else { return true }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == "application/x-www-form-urlencoded"
    }

    /// Decoded fields, or 400 for anything a form of ours would never send.
    static func fields(_ text: String) throws -> FormFields {
        let fields: FormFields
        do {
            fields = try FormFields(parsing: text)
        } catch {
            throw HTTPError(.badRequest)
        }
        guard fields.values.allSatisfy({ $0.count <= maximumField }), fields.names.allSatisfy({ $0.count <= 64 }) else {
            throw HTTPError(.badRequest)
        }
        return fields
    }
}
