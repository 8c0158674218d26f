import Foundation
import TiedoteCore

/// The headers of the message a bounce returns (a `message/rfc822` or `text/rfc822-headers`
/// part, or the copy pasted under a bounce text): whom it was for and which send it was.
struct ReturnedMessage: Sendable, Hashable {
    /// The original `To:` address.
    var to: String?
    /// The original `From:` address (ours: never the bounced recipient).
    var from: String?
    /// The original `Message-ID`, without angle brackets.
    var messageID: String?

    /// The send (`2026-12/members`) a Tiedote Message-ID (`2026-12.members.HASH@domain`) names.
    var send: String? {
        guard let messageID else { return nil }
        let local = messageID.split(separator: "@").first ?? ""
        let parts = local.split(separator: ".")
        guard parts.count == 3, YearMonth(iso: parts[0]) != nil, !parts[1].isEmpty else { return nil }
        return "\(parts[0])/\(parts[1])"
    }

    /// From header fields.
    init(headers: [MIMEHeader]) {
        func field(_ name: String) -> String? { headers.first { $0.lowercasedName == name }?.value }
        to = AddressScan.mailbox(field("to"))
        from = AddressScan.mailbox(field("from"))
        messageID = field("message-id").map {
            $0.trimmingSpaces.trimmingCharacters(in: ["<", ">"])
        }
    }

    /// The returned message of `message`, when it carries one.
    init?(in message: MIMEPart, pastedText: String?) {
        for part in message.allParts.dropFirst() {
            switch part.contentType.mediaType {
            case "message/rfc822", "message/global":
                if let inner = part.parts.first { self.init(headers: inner.headers); return }
            case "text/rfc822-headers", "message/rfc822-headers":
                self.init(headers: MIMEReader.headers(part.body)); return
            default: continue
            }
        }
        guard let pastedText, !pastedText.isEmpty else { return nil }
        // A pasted copy: header lines until the first empty line (leading spaces trimmed).
        let lines = pastedText.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { $0.trimmingSpaces.isEmpty }
            .prefix { !$0.trimmingSpaces.isEmpty }
            .map { $0.drop { $0 == " " } }
        let headers = MIMEReader.headers(Array(lines.joined(separator: "\n").utf8))
        guard !headers.isEmpty else { return nil }
        self.init(headers: headers)
    }
}
