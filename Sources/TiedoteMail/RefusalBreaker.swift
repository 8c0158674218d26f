/// The circuit breaker of a run: when the relay answers different recipients with the same
/// failure again and again, the fault is the relay's or the settings', not the addresses'.
///
/// It trips when the run's first `opening` recipients all fail alike, or when `inRow`
/// recipients in a row do. Outcomes arrive in the order the connections get them; one recipient
/// retried within a streak counts once. Tripping marks nobody failed: the recipients of the
/// streak stay pending, and the run stops with what the relay said and what to check.
struct RefusalBreaker: Sendable {
    /// How one outcome counts.
    enum Reading: Sendable, Hashable {
        /// Taken: a streak ends.
        case success
        /// A failure; `signature` says which replies are "the same".
        case failure(signature: String, reply: SMTPReply, atData: Bool)
        /// Neither (a broken connection has a breaker of its own).
        case neutral
    }

    /// Why the breaker tripped.
    struct Trip: Sendable, Hashable {
        /// The first reply of the streak.
        var reply: SMTPReply
        /// True when the message was refused at the end of DATA.
        var atData: Bool
        /// The recipients of the streak.
        var keys: Set<String>
        /// True when the streak started the run.
        var fromTheStart: Bool
        /// True when the streak is the whole of a run too short to reach `opening`.
        var wholeRun = false
    }

    let opening: Int
    let inRow: Int
    private var outcomes = 0
    private var streakStartedTheRun = false
    private var signature: String?
    private var first: (reply: SMTPReply, atData: Bool)?
    private var keys = Set<String>()

    init(opening: Int, inRow: Int) {
        self.opening = max(1, opening)
        self.inRow = max(1, inRow)
    }

    /// Takes one outcome for `key`; returns the trip when this one tripped the breaker.
    mutating func record(_ reading: Reading, key: String) -> Trip? {
        switch reading {
        case .neutral:
            return nil
        case .success:
            outcomes += 1
            signature = nil
            keys = []
            return nil
        case .failure(let kind, let reply, let atData):
            outcomes += 1
            if kind != signature {
                signature = kind
                first = (reply, atData)
                keys = []
                streakStartedTheRun = outcomes == 1
            }
            keys.insert(key)
            let limit = streakStartedTheRun ? min(opening, inRow) : inRow
            guard keys.count >= limit, let first else { return nil }
            return Trip(reply: first.reply, atData: first.atData, keys: keys, fromTheStart: streakStartedTheRun)
        }
    }

    /// At the end of a run: trips when every outcome of the run was the same failure for at
    /// least two recipients (a short run that never reached `opening`, on a relay that accepted
    /// nobody).
    func wholeRunTrip() -> Trip? {
        guard streakStartedTheRun, signature != nil, keys.count >= 2, let first else { return nil }
        return Trip(reply: first.reply, atData: first.atData, keys: keys, fromTheStart: true, wholeRun: true)
    }

    /// How an outcome counts.
    static func reading(_ outcome: DeliveryOutcome) -> Reading {
        switch outcome {
        case .sent: return .success
        // 421 is the relay closing the connection (too many connections or messages, shutting
        // down), not an answer about anyone: like a broken connection, it says nothing.
        case .connectionLost, .deferred(421, _): return .neutral
        case .deferred(let code, let text), .failed(let code, let text):
            let reply = SMTPReply(code: code, line: text)
            return .failure(signature: "rcpt \(reply.signature)", reply: reply, atData: false)
        case .messageRefused(let code, let text):
            let reply = SMTPReply(code: code, line: text)
            return .failure(signature: "data \(reply.signature)", reply: reply, atData: true)
        }
    }
}

extension RefusalBreaker.Trip {
    /// What the run says when it stops: what the relay answered and what to check.
    var message: String {
        let line = [String(reply.code), reply.enhanced?.description, reply.text].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        let how = wholeRun ? "all \(keys.count) recipients of this run"
            : fromTheStart ? "the first \(keys.count) recipients" : "\(keys.count) recipients in a row"
        let what = atData ? "refused the message itself at the end of DATA for" : "answered"
        return "stopped: the relay \(what) \(how) alike: \(line); nobody was marked failed or suppressed, "
            + "they stay pending. \(advice) Then run the same command again."
    }

    /// What to check, from the reply's class.
    private var advice: String {
        if reply.code >= 400 && reply.code < 500 {
            return "The relay says try later: wait, or lower delivery.rate_per_minute and --connections."
        }
        if atData {
            return "Check what the relay says about the message: its size, its content, and whether the From "
                + "address's domain lets this relay send for it (SPF, DKIM)."
        }
        switch reply.enhanced?.subject {
        case 7?:
            return "Check delivery.smtp.username and the password (delivery.smtp.password_env or password_file), "
                + "and that the relay lets the coordinator's From address send through it."
        case 5?:
            return "Check delivery.smtp.url (the port, smtp:// or smtps://) and delivery.smtp.tls."
        case 1?, 2?:
            return "A relay that calls every mailbox unknown is likely not relaying for you: check delivery.smtp.url, "
                + "delivery.smtp.username and the password."
        case 3?, 4?:
            return "The relay's mail system or routing refuses mail: ask its administrator."
        default:
            return "Check delivery.smtp.url, delivery.smtp.username and the password, and the relay's own log."
        }
    }
}
