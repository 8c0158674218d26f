import Foundation

/// The refusals of one run, shared by its connections: the circuit breaker, the recipients held
/// pending, and the failures not yet final.
///
/// A recipient refused for good is journalled `deferred` at first and marked `failed` only when
/// the run ends without the breaker counting that refusal in its streak: a run stopped by the
/// breaker (or killed) never leaves a `failed` line, let alone a suppression, for a refusal that
/// turned out to be the relay's fault.
///
/// Unchecked Sendable: every connection reports to it; `lock` guards all of its state.
final class RefusalLedger: @unchecked Sendable {
    /// A refusal waiting for the end of the run.
    struct Provisional: Sendable, Hashable {
        var recipient: DeliveryRecipient
        var code: Int
        var text: String
        var messageID: String
        var verdict: RefusalVerdict
    }

    /// What the run's refusals came to.
    struct Settlement: Sendable {
        /// Final failures, already journalled `failed`.
        var failures: [DeliverySummary.Failure] = []
        /// Recipients left pending by a refusal.
        var held: [DeliverySummary.Held] = []
        /// Set when the run's refusals, all alike, tripped the breaker only at its end.
        var trip: RefusalBreaker.Trip?
    }

    private let lock = NSLock()
    private var breaker: RefusalBreaker
    private var provisional: [Provisional] = []
    private var held: [DeliverySummary.Held] = []
    private var tripped = false
    /// With several relays, a relay that keeps answering 4xx is rested and the others take its
    /// share (`RelayHealth`): its deferrals are no reason to stop the whole run.
    private let deferralsCount: Bool

    init(options: DeliveryOptions, relays: Int = 1) {
        deferralsCount = relays <= 1
        breaker = RefusalBreaker(opening: options.breakerOpening, inRow: options.breakerInRow)
    }

    /// Takes a 5xx to `RCPT TO` (held or provisional) or to the message (held).
    func refused(_ recipient: DeliveryRecipient, outcome: DeliveryOutcome, messageID: String) {
        lock.withLock {
            if case .failed(let code, let text) = outcome {
                let verdict = RefusalVerdict.forRecipient(SMTPReply(code: code, line: text))
                if verdict != .keepPending {
                    provisional.append(
                        Provisional(recipient: recipient, code: code, text: text, messageID: messageID, verdict: verdict))
                    return
                }
            }
            held.append(.init(key: recipient.key, code: outcome.code, text: outcome.text))
        }
    }

    /// Feeds the breaker; returns the trip when this outcome tripped it. The streak's refusals
    /// are held pending from then on.
    func record(_ outcome: DeliveryOutcome, key: String) -> RefusalBreaker.Trip? {
        lock.withLock {
            var reading = RefusalBreaker.reading(outcome)
            if !deferralsCount, case .deferred = outcome { reading = .neutral }
            guard !tripped, let trip = breaker.record(reading, key: key) else { return nil }
            hold(trip)
            return trip
        }
    }

    /// The streak's refusals stay pending (called under the lock).
    private func hold(_ trip: RefusalBreaker.Trip) {
        tripped = true
        let (streak, rest) = (provisional.filter { trip.keys.contains($0.recipient.key) },
                              provisional.filter { !trip.keys.contains($0.recipient.key) })
        provisional = rest
        held += streak.map { .init(key: $0.recipient.key, code: $0.code, text: $0.text) }
    }

    /// Makes the refusals final at the end of the run: `failed` lines in `journal`, and a bare
    /// 550/551/553 counted a bad mailbox only when `sentInRun` says others were accepted.
    func settle(sentInRun: Int, journal: Journal?) -> Settlement {
        lock.withLock {
            var trip: RefusalBreaker.Trip?
            if !tripped, let whole = breaker.wholeRunTrip() {
                hold(whole)
                trip = whole
            }
            var settlement = Settlement(held: held, trip: trip)
            var records: [JournalRecord] = []
            var failures: [DeliverySummary.Failure] = []
            let now = Int(Date().timeIntervalSince1970)
            for entry in provisional {
                let key = entry.recipient.key
                if entry.verdict == .badMailboxIfOthersAccepted && sentInRun == 0 {
                    settlement.held.append(.init(key: key, code: entry.code, text: entry.text))
                    continue
                }
                records.append(JournalRecord(
                    time: now, state: .failed, key: key, code: entry.code, messageID: entry.messageID, text: entry.text))
                failures.append(.init(
                    address: entry.recipient.address, code: entry.code, text: entry.text,
                    isBounce: entry.verdict == .badMailbox || entry.verdict == .badMailboxIfOthersAccepted))
            }
            provisional = []
            do {
                if let journal, !records.isEmpty { try journal.record(records) }
                settlement.failures = failures
            } catch {
                // Not journalled failed: they stay pending, and the next run asks the relay again.
                settlement.held += failures.map { .init(key: $0.address.key, code: $0.code, text: $0.text) }
            }
            return settlement
        }
    }
}
