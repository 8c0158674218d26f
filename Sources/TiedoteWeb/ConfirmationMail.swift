import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail

/// The double opt-in message: one link that confirms the subscription, sent through the same
/// MIME code and transport (outbox or SMTP) as the newsletter, from the coordinator on duty.
struct ConfirmationMail: Sendable {
    /// The workspace's settings (network, coordinators, rotation).
    let settings: Settings
    /// Where readers reach the server.
    let publicURL: String

    /// The message for `pending`, whose signed token is `token`, made at `now`.
    func message(for pending: SubscriptionToken, token: String, now: Int) throws -> MIMEMessage {
        let month = YearMonth(Helsinki.local(at: now).date)
        guard let coordinator = settings.coordinator(for: month) ?? settings.coordinators.first else {
            throw Diagnostic.error(settings.position(of: "coordinators"), "no coordinator to send the confirmation from")
        }
        let link = "\(publicURL)/vahvista?t=\(token)"
        let network = settings.network.name
        let greeting = pending.name.isEmpty ? "Hei!" : "Hei \(pending.name)!"
        let text = """
            \(greeting)

            Vahvista \(network) -uutiskirjeen tilaus avaamalla tämä linkki ja painamalla \
            sivulla Vahvista tilaus -painiketta:

            \(link)

            Linkki on voimassa 7 päivää. Jos et tilannut uutiskirjettä, voit jättää tämän \
            viestin huomiotta: osoitettasi ei lisätä listalle ilman vahvistusta.

            --\u{20}
            \(network)

            """
        let html = """
            <!DOCTYPE html>
            <html lang="fi"><head><meta charset="utf-8"><title>Vahvista tilaus</title></head>
            <body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f1f1f;">
            <p>\(greeting.markupEscaped)</p>
            <p>Vahvista \(network.markupEscaped) -uutiskirjeen tilaus:</p>
            <p><a href="\(link.markupEscaped)" style="color:#0b5394;font-weight:bold;">Vahvista tilaus</a></p>
            <p>Linkki on voimassa 7 päivää. Jos et tilannut uutiskirjettä, voit jättää tämän viestin huomiotta: \
            osoitettasi ei lisätä listalle ilman vahvistusta.</p>
            <p style="color:#3d4449;font-size:13px;">\(network.markupEscaped)</p>
            </body></html>

            """
        let address = try MailAddress(pending.email)
        let from = Mailbox(name: coordinator.name, address: try MailAddress(coordinator.email))
        let id = "vahvistus.\(UUID().uuidString.lowercased())@\(settings.network.domain.lowercased())"
        return MIMEMessage(
            from: from, replyTo: try coordinator.replyTo.map { try MailAddress($0) },
            to: Mailbox(name: pending.name, address: address), subject: "Vahvista uutiskirjeen tilaus – \(network)",
            date: now, messageID: id, text: text, html: html)
    }

    /// Sends `message` on a thread of its own (libcurl blocks), so the server's event loops never
    /// wait on SMTP; returns the transport's outcome.
    static func send(_ message: MIMEMessage, makeTransport: @escaping @Sendable () throws -> any Transport) async throws -> DeliveryOutcome {
        let bytes = try message.encoded()
        let envelope = Envelope(from: message.from.address, to: message.to.address, messageID: message.messageID)
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let transport = try makeTransport()
                    continuation.resume(returning: try transport.send(bytes, envelope: envelope))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
