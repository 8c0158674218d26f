import Foundation
import TiedoteCore

/// Tells what an incoming message is: a bounce (hard or soft), an unsubscribe, an automatic
/// reply, or unknown; and for whom. Never guesses: when the message does not say, `unknown`.
public struct Classifier: Sendable {
    /// The workspace facts it may ask about.
    public var context: InboxContext

    /// Creates a classifier.
    public init(context: InboxContext = InboxContext()) { self.context = context }

    /// Classifies raw message bytes (a message over the size cap is `unknown`).
    public func classify(_ bytes: [UInt8]) -> [Finding] {
        do {
            return classify(try MIMEReader.parse(bytes))
        } catch {
            return [Finding(address: nil, kind: .unknown, note: error.description)]
        }
    }

    /// Classifies a parsed message: at least one finding, one per address concerned.
    public func classify(_ message: MIMEPart) -> [Finding] {
        let text = Self.reportText(message)
        let returned = ReturnedMessage(in: message, pastedText: Self.pastedCopy(text))
        var findings: [Finding]?
        if let reports = Self.deliveryReports(message), !reports.isEmpty {
            findings = reports
        } else if TextBounce.isBounce(message) {
            // Before the auto-reply headers: Exim and Postfix mark their bounces auto-replied too.
            var own = ownAddresses(message)
            if let from = returned?.from { own.insert(from) }
            findings = TextBounce.findings(text: text, returned: returned, excluding: own)
        } else if AutoReply.byHeaders(message) {
            return [Finding(address: sender(message), kind: .autoReply, note: "automatic reply (headers)")]
        }
        if var findings {
            if findings.isEmpty { findings = [Finding(address: nil, kind: .unknown, note: "a bounce that names no address")] }
            return attribute(findings, message: message, send: returned?.send)
        }
        if AutoReply.bySubject(message) {
            return [Finding(address: sender(message), kind: .autoReply, note: "automatic reply (subject)")]
        }
        if let unsubscribe = unsubscribe(message, text: text) { return [unsubscribe] }
        return [Finding(address: sender(message), kind: .unknown, note: "not a bounce, an unsubscribe or an automatic reply")]
    }

    /// Per-recipient findings of every `message/delivery-status` part; nil when there is none.
    static func deliveryReports(_ message: MIMEPart) -> [Finding]? {
        let parts = message.allParts.filter {
            $0.contentType.mediaType == "message/delivery-status" || $0.contentType.mediaType == "message/global-delivery-status"
        }
        guard let part = parts.first else { return nil }
        let report = DeliveryReport(part.body)
        return report.recipients.compactMap { recipient in
            guard let kind = recipient.kind else { return nil }
            let address = recipient.original ?? recipient.final
            return Finding(address: address, kind: address == nil ? .unknown : kind, status: recipient.status ?? recipient.diagnostic.map { String($0.prefix(40)) },
                note: "DSN: \(recipient.action) \(recipient.status ?? "")".trimmingSpaces)
        }
    }

    /// The bounce's envelope recipients (where a VERP token would be) first, then a token
    /// check of each finding; the send from the token or from the returned Message-ID.
    func attribute(_ findings: [Finding], message: MIMEPart, send: String?) -> [Finding] {
        var result = findings.map { finding -> Finding in
            var finding = finding
            finding.send = finding.send ?? send
            return finding
        }
        let envelope = ["Delivered-To", "X-Original-To", "Envelope-To", "To"].flatMap { message.headers($0) }
            .flatMap { AddressScan.all(in: $0) }
        guard let token = envelope.lazy.compactMap(context.verpToken).first,
            let match = context.returnToken(token, result.compactMap(\.address))
        else { return Self.withoutAddressUnknown(result) }
        if let address = match.address {
            // The token names the recipient: the report's kind for it (or the only kind given).
            let kinds = Set(result.filter { $0.address == address }.map(\.kind))
            let allKinds = Set(result.map(\.kind))
            let kind = kinds.count == 1 ? kinds.first : allKinds.count == 1 ? allKinds.first : nil
            let status = result.first { $0.address == address }?.status ?? result.first?.status
            return [Finding(address: address, kind: kind ?? .unknown, status: status, send: match.send ?? send, signed: true,
                note: "VERP: " + (kind == nil ? "the report does not say how it failed" : (result.first?.note ?? "")))]
        }
        for index in result.indices {
            if let send = match.send { result[index].send = send }
            if let address = result[index].address, match.names.contains(address) { result[index].signed = true }
        }
        return Self.withoutAddressUnknown(result)
    }

    /// A failure that names nobody changes nothing: `unknown`.
    static func withoutAddressUnknown(_ findings: [Finding]) -> [Finding] {
        findings.map { finding in
            var finding = finding
            if finding.address == nil { finding.kind = .unknown }
            return finding
        }
    }

    /// A mail to the unsubscribe address with a valid token, or from a subscribed address.
    func unsubscribe(_ message: MIMEPart, text: String) -> Finding? {
        let subject = message.header("Subject") ?? ""
        let recipients = ["To", "Cc", "Delivered-To", "X-Original-To"].flatMap { message.headers($0) }
            .flatMap { AddressScan.all(in: $0) }
        let toUnsubscribe = context.unsubscribeAddress.map { recipients.contains($0) } ?? false
        // A signed token in the subject is proof enough; in the body only on mail sent to the
        // unsubscribe address (a reply quoting the footer is not a request).
        let places = toUnsubscribe ? [subject, String(text.prefix(20_000))] : [subject]
        for place in places {
            for candidate in Self.tokenCandidates(place) {
                if let token = context.unsubscribeToken(candidate) {
                    return Finding(address: token.address, kind: .unsubscribe, send: nil, signed: true,
                        note: "unsubscribe token for list \(token.list)")
                }
            }
        }
        guard toUnsubscribe else { return nil }
        if let from = sender(message), context.isSubscribed(from) {
            return Finding(address: from, kind: .unsubscribe, note: "mail to the unsubscribe address from a subscriber")
        }
        return Finding(address: sender(message), kind: .unknown,
            note: "mail to the unsubscribe address without a valid token, from an address on no list")
    }

    /// Words that could be unsubscribe tokens: two base64url runs joined by a dot.
    static func tokenCandidates(_ text: String) -> [String] {
        let words = text.split(whereSeparator: { character in
            let allowed = character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
            return !allowed
        })
        var result: [String] = []
        for word in words {
            let trimmed = word.trimmingCharacters(in: ["."])
            let dots = trimmed.reduce(0) { $0 + ($1 == "." ? 1 : 0) }
            guard trimmed.count >= 30, trimmed.count <= 1200, dots == 1 else { continue }
            result.append(trimmed)
            if result.count == 20 { break }
        }
        return result
    }

    /// The sender's address (`From:`), lower-cased.
    func sender(_ message: MIMEPart) -> String? { AddressScan.mailbox(message.header("From")) }

    /// The addresses of the notice itself and of the network: never the bounced recipient.
    func ownAddresses(_ message: MIMEPart) -> Set<String> {
        var own = context.ownAddresses
        for name in ["From", "To", "Delivered-To", "X-Original-To", "Return-Path", "Sender", "Reply-To"] {
            for value in message.headers(name) { own.formUnion(AddressScan.all(in: value)) }
        }
        if let returnPath = context.returnPath { own.insert(returnPath) }
        return own.union(own.filter { context.verpToken(in: $0) != nil })
    }

    /// The human-readable text of a notice: its text parts outside any returned message
    /// (HTML stripped of tags when there is no plain text).
    static func reportText(_ message: MIMEPart) -> String {
        var plain: [String] = []
        var html: [String] = []
        func walk(_ part: MIMEPart, depth: Int) {
            switch part.contentType.type {
            case "multipart":
                for child in part.parts { walk(child, depth: depth + 1) }
            case "text" where part.contentType.subtype == "plain":
                plain.append(part.text)
            case "text" where part.contentType.subtype == "html":
                html.append(HTMLText.strip(part.text))
            default:
                break
            }
        }
        walk(message, depth: 0)
        let text = plain.isEmpty ? html : plain
        return text.joined(separator: "\n").replacingOccurrences(of: "\r", with: "")
    }

    /// The text after a "copy of the message follows" line, where pasted headers would be.
    static func pastedCopy(_ text: String) -> String? {
        let lower = text.lowercased()
        for marker in TextBounce.copyMarkers {
            if let range = lower.range(of: marker), let lineEnd = lower[range.upperBound...].firstIndex(of: "\n") {
                let offset = lower.distance(from: lower.startIndex, to: lineEnd)
                return String(text.dropFirst(offset + 1))
            }
        }
        return nil
    }
}
