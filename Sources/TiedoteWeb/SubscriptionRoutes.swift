import Foundation
import Hummingbird
import TiedoteAudience
import TiedoteCore
import TiedoteMail

/// `/tilaa` and `/vahvista`: double opt-in. The form's answers travel only inside the signed
/// token of the confirmation mail; the list changes when its link is confirmed with a POST.
struct SubscriptionRoutes: Sendable {
    let configuration: WebConfiguration
    let pages: WebPages
    let form: SubscribeForm
    let mail: ConfirmationMail

    init(configuration: WebConfiguration, pages: WebPages) {
        self.configuration = configuration
        self.pages = pages
        let settings = configuration.workspace.settings
        form = SubscribeForm(lists: configuration.lists, categories: settings.categories, network: settings.network.name)
        mail = ConfirmationMail(settings: settings, publicURL: configuration.publicURL)
    }

    func add(to router: Router<WebContext>) {
        router.get("/tilaa") { _, _ in pages.response(.ok, form.page()) }
        router.post("/tilaa") { _, context in try await subscribe(context) }
        router.get("/vahvista") { _, context in try confirmPage(context) }
        router.post("/vahvista") { _, context in try confirm(context) }
    }

    /// Checks the answers and mails a confirmation link. The answer is the same whether or not
    /// the address is already on the list, so the form cannot be used to find out who is.
    func subscribe(_ context: WebContext) async throws -> Response {
        let now = configuration.now()
        let answers = form.answers(context.form)
        switch form.check(answers, expires: now + SubscriptionToken.lifetime) {
        case .failure(let problems):
            return pages.response(.badRequest, form.page(answers, problems: problems.byField))
        case .success(let pending):
            let token = pending.encoded(secret: configuration.secret)
            let digest = configuration.digest(pending.email)
            let outcome: DeliveryOutcome
            do {
                let message = try mail.message(for: pending, token: token, now: now)
                outcome = try await ConfirmationMail.send(message, makeTransport: configuration.makeTransport)
            } catch {
                configuration.log("subscribe \(digest): confirmation not sent (\(type(of: error)))")
                throw HTTPError(.serviceUnavailable)
            }
            configuration.log("subscribe \(digest): confirmation mail answered \(outcome.code)")
            switch outcome {
            case .sent, .failed: break  // a refused address gets the same page: nothing to tell apart
            case .deferred, .connectionLost, .messageRefused: throw HTTPError(.serviceUnavailable)
            }
            return pages.response(.ok, WebPages.message(
                title: "Tarkista sähköpostisi",
                text: "Lähetimme vahvistusviestin antamaasi osoitteeseen. Tilaus alkaa, kun avaat viestin linkin ja vahvistat tilauksen. "
                    + "Linkki on voimassa 7 päivää."))
        }
    }

    /// `GET /vahvista?t=…`: what will be subscribed, and a button; nothing changes.
    func confirmPage(_ context: WebContext) throws -> Response {
        let token = context.query["t"] ?? ""
        let pending = try verify(token)
        return pages.response(.ok, WebPages.confirm(
            title: "Vahvista tilaus",
            text: "Vahvista, että osoite \(pending.email) tilaa uutiskirjeen.",
            action: "/vahvista", fields: [("t", token)], button: "Vahvista tilaus"))
    }

    /// `POST /vahvista`: the row goes into `Lists/LIST.csv` (once, however often this is posted).
    ///
    /// An address on `Lists/suppressed.csv` (unsubscribed earlier, bounced, forgotten) gets its
    /// row too, but stays unmailed: the suppression list is only ever appended to, so lifting it
    /// is the coordinator's decision, and the page says whom to ask. Only the mailbox's owner
    /// can get this far (the link came to it), so saying so tells no one else anything.
    func confirm(_ context: WebContext) throws -> Response {
        let pending = try verify(context.form["t"] ?? context.query["t"] ?? "")
        let workspace = configuration.workspace
        let subscriber = pending.subscriber(confirmedAt: Date(timeIntervalSince1970: TimeInterval(configuration.now())))
        let (added, suppressed) = try ListWriteLock.withLock(workspace) {
            (try workspace.addSubscriber(subscriber, list: pending.list), try workspace.suppressions().contains(pending.email))
        }
        configuration.log("confirm \(configuration.digest(pending.email)): \(added ? "added to" : "already on") \(pending.list)"
            + (suppressed ? ", but suppressed" : ""))
        guard !suppressed else {
            let contact = workspace.settings.coordinator(for: YearMonth(Helsinki.local(at: configuration.now()).date))?.email
            return pages.response(.ok, WebPages.message(
                title: "Tilaus tallennettu",
                text: "Osoite \(pending.email) on aiemmin poistettu postituslistalta, joten uutiskirjettä ei vielä lähetetä siihen. "
                    + "Pyydä koordinaattoria palauttamaan osoite\(contact.map { " (\($0))" } ?? "")."))
        }
        return pages.response(.ok, WebPages.message(
            title: "Tilaus vahvistettu", text: "Kiitos! Saat jatkossa verkoston uutiskirjeen osoitteeseen \(pending.email)."))
    }

    /// 400 for a token that is not one (truncated, garbled), 403 for a forged, expired or
    /// unknown-list one.
    func verify(_ token: String) throws -> SubscriptionToken {
        guard !token.isEmpty else { throw HTTPError(.badRequest) }
        do {
            let pending = try SubscriptionToken.verify(token, secret: configuration.secret, now: configuration.now())
            guard configuration.lists.contains(pending.list) else { throw HTTPError(.forbidden) }
            return pending
        } catch let refusal as SubscriptionToken.Refusal {
            throw HTTPError(refusal == .malformed ? .badRequest : .forbidden)
        }
    }
}
