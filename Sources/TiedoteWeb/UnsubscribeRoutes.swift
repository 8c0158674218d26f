import Foundation
import Hummingbird
import TiedoteAudience
import TiedoteCore

/// `/peru`: the newsletter's unsubscribe link. GET only shows a button (mail scanners fetch
/// links); POST — the button, or a mail client's RFC 8058 one-click `List-Unsubscribe=One-Click`
/// — suppresses the address at once, as `tiedote unsubscribe --token` does, and says so again
/// if posted twice.
struct UnsubscribeRoutes: Sendable {
    let configuration: WebConfiguration
    let pages: WebPages

    func add(to router: Router<WebContext>) {
        router.get("/peru") { _, context in try page(context) }
        router.post("/peru") { _, context in try unsubscribe(context) }
    }

    /// The token from the query (the link, and RFC 8058's POST to the same URL) or the form.
    private func token(_ context: WebContext) -> String {
        context.query["t"] ?? context.form["t"] ?? ""
    }

    func page(_ context: WebContext) throws -> Response {
        let token = token(context)
        let verified = try verify(token)
        return pages.response(.ok, WebPages.confirm(
            title: "Peru uutiskirjeen tilaus",
            text: "Haluatko perua uutiskirjeen tilauksen osoitteelle \(verified.address)?",
            action: "/peru?t=\(token)", fields: [("List-Unsubscribe", "One-Click")], button: "Peru tilaus"))
    }

    func unsubscribe(_ context: WebContext) throws -> Response {
        let token = token(context)
        _ = try verify(token)
        let workspace = configuration.workspace
        let unsubscribe = Unsubscribe(settings: workspace.settings.unsubscribe, secret: configuration.secret)
        let outcome = try ListWriteLock.withLock(workspace) {
            try unsubscribe.unsubscribe(token: token, in: workspace, at: Date(timeIntervalSince1970: TimeInterval(configuration.now())))
        }
        let (verified, added) = (outcome.token, outcome.added)
        configuration.log("unsubscribe \(configuration.digest(verified.address)) from \(verified.list): \(added ? "suppressed" : "already suppressed")")
        return pages.response(.ok, WebPages.message(
            title: "Tilaus peruttu",
            text: "Osoitteeseen \(verified.address) ei enää lähetetä verkoston uutiskirjettä. Voit tilata sen uudelleen milloin tahansa."))
    }

    /// 400 for no token or a garbled one, 403 for a forged one or one for a list this network
    /// does not have.
    func verify(_ token: String) throws -> UnsubscribeToken {
        guard !token.isEmpty else { throw HTTPError(.badRequest) }
        do {
            let verified = try UnsubscribeToken.verify(token, secret: configuration.secret)
            let known = Set(configuration.lists).union((try? configuration.workspace.listNames()) ?? [])
            guard known.contains(verified.list) else { throw HTTPError(.forbidden) }
            return verified
        } catch let refusal as UnsubscribeToken.Refusal {
            throw HTTPError(refusal == .malformed ? .badRequest : .forbidden)
        }
    }
}
