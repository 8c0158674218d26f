import TiedoteCore

/// The machine-readable part of a standard DSN (`message/delivery-status`, RFC 3464): one
/// group of fields per recipient.
public struct DeliveryReport: Sendable, Hashable {
    /// One recipient's fields.
    public struct Recipient: Sendable, Hashable {
        /// `Original-Recipient` (the address as the sender gave it), when rfc822.
        public var original: String?
        /// `Final-Recipient`, when rfc822.
        public var final: String?
        /// `Action`, lower-cased (`failed`, `delayed`, `delivered`, `relayed`, `expanded`).
        public var action: String
        /// `Status` (`5.1.1`), when well-formed.
        public var status: String?
        /// `Diagnostic-Code`, as written.
        public var diagnostic: String?

        /// What this recipient's fields mean: hard, soft, or nil for a success notice or
        /// fields that do not say.
        public var kind: Finding.Kind? {
            let statusClass = status?.first ?? Self.replyClass(diagnostic)
            switch action {
            case "failed":
                switch statusClass {
                // A full mailbox (X.2.2) belongs to a living reader: counted, not suppressed at once.
                case "5": return status.map { $0.hasPrefix("5.2.2") } == true ? .soft : .hard
                case "4": return .soft
                default: return .unknown
                }
            case "delayed": return .soft
            case "delivered", "relayed", "expanded": return nil
            default: return .unknown
            }
        }

        /// The class digit of an SMTP reply code at the start of a `Diagnostic-Code`
        /// (`smtp; 550 5.1.1 …`).
        static func replyClass(_ diagnostic: String?) -> Character? {
            guard let diagnostic else { return nil }
            let text = diagnostic.split(separator: ";", maxSplits: 1).last.map { $0.trimmingSpaces } ?? ""
            let digits = text.prefix(3)
            guard digits.count == 3, digits.allSatisfy(\.isASCIIDigit), let first = digits.first, first == "4" || first == "5"
            else { return nil }
            return first
        }
    }

    /// The recipients, in order.
    public var recipients: [Recipient]
    /// `Original-Envelope-Id` of the per-message group, when given.
    public var envelopeID: String?

    /// The most recipients read from one report: enough for any real one, bounded for a hostile one.
    public static let maxRecipients = 20_000

    /// Reads the body of a `message/delivery-status` part.
    public init(_ body: [UInt8]) {
        recipients = []
        var groups: [[UInt8]] = []
        var current: [UInt8] = []
        for line in MIMEReader.lines(body) {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                if !current.isEmpty { groups.append(current) }
                current = []
                if groups.count > Self.maxRecipients { break }
            } else {
                current.append(contentsOf: line)
                current.append(UInt8(ascii: "\n"))
            }
        }
        if !current.isEmpty { groups.append(current) }
        for (index, group) in groups.enumerated() {
            let fields = MIMEReader.headers(group)
            func field(_ name: String) -> String? { fields.first { $0.lowercasedName == name }?.value }
            if index == 0, field("final-recipient") == nil {
                envelopeID = field("original-envelope-id")
                continue
            }
            guard field("final-recipient") != nil || field("original-recipient") != nil else { continue }
            let status = field("status").flatMap(Self.statusCode)
            recipients.append(Recipient(
                original: field("original-recipient").flatMap(Self.address),
                final: field("final-recipient").flatMap(Self.address),
                action: (field("action") ?? "").trimmingSpaces.lowercased(),
                status: status, diagnostic: field("diagnostic-code")))
        }
    }

    /// The address of an `rfc822; user@example.fi` field (the type may be missing); nil for
    /// other address types or anything that is not an address.
    static func address(_ value: String) -> String? {
        let parts = value.split(separator: ";", maxSplits: 1)
        let type = parts.count == 2 ? parts[0].trimmingSpaces.lowercased() : "rfc822"
        guard type == "rfc822" || type == "unknown", let text = parts.last else { return nil }
        return AddressScan.clean(String(text))
    }

    /// `4.2.2` or `5.1.1 (…)`: the enhanced status code, when well-formed.
    static func statusCode(_ value: String) -> String? {
        let code = value.trimmingSpaces.prefix { !$0.isWhitespace && $0 != "(" }
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let first = parts.first, first == "2" || first == "4" || first == "5",
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        return String(code)
    }
}

extension Character {
    /// 0–9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
