import Foundation
import TiedoteCore

/// Bounces in the non-standard shapes still common (Exchange/Outlook NDRs, Gmail, Yahoo,
/// qmail, Exim, Postfix without DSN, Lotus Notes, GroupWise, plain texts in English and
/// Finnish): read what the text says, and say `unknown` rather than guess.
enum TextBounce {
    /// True when the sender or subject says the message is a delivery failure notice.
    static func isBounce(_ message: MIMEPart) -> Bool {
        let from = (message.header("From") ?? "").lowercased()
        if senderMarkers.contains(where: { from.contains($0) }) { return true }
        let subject = (message.header("Subject") ?? "").lowercased()
        return subjectMarkers.contains { subject.contains($0) }
    }

    static let senderMarkers = ["mailer-daemon", "postmaster", "mail delivery", "mail.delivery", "mail-daemon"]
    static let subjectMarkers = [
        "undeliverable", "undelivered", "delivery status notification", "delivery failure", "delivery failed",
        "mail delivery failed", "failure notice", "returned mail", "delivery has failed", "could not be delivered",
        "not delivered", "delivery notification", "delayed mail", "delivery delayed", "warning: could not send",
        "toimittamaton", "ei voitu toimittaa", "toimitus epäonnistui", "palautettu viesti", "viivästynyt",
    ]

    /// Lines after which the text is a copy of the returned message, not the report.
    static let copyMarkers = [
        "below this line is a copy of the message", "this is a copy of the message", "original message follows",
        "----- original message", "--- original message", "original message headers", "alkuperäinen viesti",
        "------ this is a copy", "----- the header of the original message", "the original message was",
        "----- transcript of session follows -----",
    ]

    /// What the notice says, for each address it names; `returned` is the returned message.
    static func findings(text: String, returned: ReturnedMessage?, excluding own: Set<String>) -> [Finding] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var report: [String] = []
        for line in lines {
            let lower = line.lowercased()
            if copyMarkers.contains(where: { lower.contains($0) }) { break }
            report.append(line)
        }
        let whole = report.joined(separator: "\n").lowercased()
        let overall = severity(of: whole)
        var blocks: [(address: String, text: String)] = []
        for line in report {
            let fresh = AddressScan.all(in: line).filter { address in
                !own.contains(address) && !isRole(address) && !blocks.contains { $0.address == address }
            }
            if fresh.isEmpty {
                // The lines under an address (host, SMTP reply) describe it.
                if !blocks.isEmpty { blocks[blocks.count - 1].text += "\n" + line.lowercased() }
                continue
            }
            for address in fresh { blocks.append((address, line.lowercased())) }
        }
        if blocks.isEmpty, let to = returned?.to, !own.contains(to) {
            blocks = [(to, "")]
        }
        if blocks.isEmpty {
            // No address in the text: the kind still counts when a VERP token names the recipient.
            return [Finding(address: nil, kind: overall.kind, note: overall.note)]
        }
        return blocks.map { block in
            let code = statusCode(in: block.text)
            let kind = code.map(kind(ofCode:)) ?? overall.kind
            return Finding(address: block.address, kind: kind, status: code,
                note: kind == .unknown ? "a bounce text that does not say whether the failure is permanent" : overall.note)
        }
    }

    /// Role addresses of mail systems, never the bounced recipient.
    static func isRole(_ address: String) -> Bool {
        let local = address.split(separator: "@").first.map(String.init) ?? ""
        return ["postmaster", "mailer-daemon", "mail-daemon", "noreply", "no-reply", "abuse"].contains(local)
    }

    /// hard for 5xx codes, soft for 4xx (and for a full mailbox, x.2.2 / 552).
    static func kind(ofCode code: String) -> Finding.Kind {
        if code.hasPrefix("5.2.2") || code == "552" { return .soft }
        return code.hasPrefix("5") ? .hard : .soft
    }

    /// The first enhanced status code (`5.1.1`), else the first SMTP reply code (`550`) in `text`.
    static func statusCode(in text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || "()[]<>:;,#".contains($0) })
        for word in words {
            let trimmed = word.trimmingCharacters(in: ["."])
            if let code = DeliveryReport.statusCode(trimmed), code.first != "2" { return code }
        }
        for word in words {
            let digits = word.prefix { $0.isASCIIDigit }
            if digits.count == 3, word.count <= 4, let first = digits.first, first == "4" || first == "5",
                let middle = digits.dropFirst().first, ("0"..."5").contains(middle)
            {
                return String(digits)
            }
        }
        return nil
    }

    /// What the notice as a whole says about permanence.
    static func severity(of text: String) -> (kind: Finding.Kind, note: String) {
        let hard = hardMarkers.first { text.contains($0) }
        let soft = softMarkers.first { text.contains($0) }
        switch (hard, soft) {
        case (let marker?, nil): return (.hard, "bounce text: \(marker)")
        case (nil, let marker?): return (.soft, "bounce text: \(marker)")
        default: return (.unknown, "a bounce text that does not say whether the failure is permanent")
        }
    }

    static let hardMarkers = [
        "permanent error", "permanent failure", "failed permanently", "permanently", "user unknown", "unknown user",
        "no such user", "does not exist", "doesn't exist", "couldn't be found", "could not be found", "not listed in",
        "address rejected", "mailbox unavailable", "recipient not found", "no mailbox here", "invalid recipient",
        "account has been disabled", "user not found", "account is disabled", "pysyvä virhe", "ei ole olemassa", "tuntematon vastaanottaja",
        "vastaanottajaa ei löytynyt", "osoitetta ei löytynyt",
    ]
    static let softMarkers = [
        "temporary", "temporarily", "delayed", "has not yet been delivered", "not yet been delivered", "will retry",
        "will be retried", "will keep trying", "still trying", "try again later", "mailbox full", "mailbox is full",
        "over quota", "quota exceeded", "väliaikainen", "yritetään uudelleen", "viivästynyt", "postilaatikko on täynnä",
    ]
}
