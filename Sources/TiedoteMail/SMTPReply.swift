/// An SMTP reply taken apart: the basic code (`550`), the enhanced status code when the server
/// gave one (`5.7.1`, RFC 3463) and the text, so that a refusal can be judged by what it says.
public struct SMTPReply: Sendable, Hashable {
    /// An enhanced status code `class.subject.detail`.
    public struct EnhancedStatus: Sendable, Hashable, CustomStringConvertible {
        /// 2, 4 or 5.
        public var statusClass: Int
        /// What the status is about: 1 address, 2 mailbox, 3 mail system, 4 network and routing,
        /// 5 protocol, 6 content, 7 security or policy.
        public var subject: Int
        /// The detail within the subject.
        public var detail: Int

        /// `5.7.1`.
        public var description: String { "\(statusClass).\(subject).\(detail)" }
    }

    /// The basic reply code, 0 when there was none.
    public var code: Int
    /// The enhanced status code, when the reply carried one.
    public var enhanced: EnhancedStatus?
    /// The text after the code(s).
    public var text: String

    /// Takes a reply line (`550 5.7.1 Relaying denied`) apart; `code` is used when the line does
    /// not start with one (journal texts and test doubles may hold the text alone).
    public init(code: Int, line: String) {
        var rest = Substring(line)
        if rest.prefix(3).count == 3, rest.prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }), let leading = Int(rest.prefix(3)) {
            self.code = leading
            rest = rest.dropFirst(3)
            if let separator = rest.first, separator == " " || separator == "-" { rest = rest.dropFirst() }
        } else {
            self.code = code
        }
        let word = rest.prefix { $0 != " " }
        enhanced = Self.enhancedStatus(word)
        if enhanced != nil { rest = rest.dropFirst(word.count).drop { $0 == " " } }
        text = String(rest)
    }

    private static func enhancedStatus(_ word: Substring) -> EnhancedStatus? {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let first = Int(parts[0]), [2, 4, 5].contains(first), let second = Int(parts[1]), let third = Int(parts[2])
        else { return nil }
        return EnhancedStatus(statusClass: first, subject: second, detail: third)
    }

    /// `550 5.7.1`, or `550` alone: what "the same failure" means to the circuit breaker.
    public var signature: String {
        enhanced.map { "\(code) \($0)" } ?? "\(code)"
    }
}

/// What a permanent refusal (5xx) of one recipient means for that recipient.
public enum RefusalVerdict: Sendable, Hashable {
    /// The reply says the mailbox itself is bad (5.1.1, 5.1.2, 5.1.10, 5.2.1): failed for good,
    /// and added to the suppression list as bounced.
    case badMailbox
    /// A bare 550, 551 or 553 (no enhanced code, or an undefined `x.0.0` one): a bad mailbox
    /// only if the same run got other recipients accepted; else it stays pending.
    case badMailboxIfOthersAccepted
    /// The recipient was refused for good for its own reasons (mailbox full, moved, …):
    /// failed, not suppressed; `send --retry-failed` tries it again.
    case failed
    /// The refusal is about policy, protocol, the mail system, routing or the message: it says
    /// nothing about the address, so the recipient stays pending.
    case keepPending

    /// Judges a 5xx reply to `RCPT TO`.
    public static func forRecipient(_ reply: SMTPReply) -> RefusalVerdict {
        if let status = reply.enhanced, status.subject != 0 {
            switch (status.subject, status.detail) {
            case (1, 1), (1, 2), (1, 10), (2, 1): return .badMailbox
            case (1, 7), (1, 8): return .keepPending   // the sender's address, not the recipient's
            case (1, _), (2, 2), (2, 4): return .failed
            default: return .keepPending   // 5.2.3 size, 5.3 system, 5.4 routing, 5.5 protocol, 5.6 content, 5.7 policy
            }
        }
        switch reply.code {
        case 550, 551, 553: return .badMailboxIfOthersAccepted
        default: return .keepPending   // 530 authentication, 554 transaction failed, 500–504 syntax, …
        }
    }

    /// True when a journal's `failed` line is a bounce to suppress: a bad-mailbox reply, or a
    /// bare 550/551/553 (journalled `failed` only once its run confirmed it). Any other failed
    /// reply (5.7.1 from a relay that wanted AUTH, say) never suppresses the address.
    public static func isJournaledBounce(code: Int, text: String) -> Bool {
        switch forRecipient(SMTPReply(code: code, line: text)) {
        case .badMailbox, .badMailboxIfOthersAccepted: true
        case .failed, .keepPending: false
        }
    }
}
