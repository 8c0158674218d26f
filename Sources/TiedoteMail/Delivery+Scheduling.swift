import Foundation
import TiedoteCore

/// Seconds on a clock that never jumps (for waits and rates, never written anywhere).
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
}

/// One recipient's turn: who, and how many times it was handed over in this run.
struct DeliveryJob: Sendable {
    var recipient: DeliveryRecipient
    var attempts = 0
}

/// Hands recipients to connections: fresh ones streamed from the list, retries when due.
///
/// The list is read lazily under the lock, so a 100,000-line list never sits in memory as
/// rendered messages; only recipients waiting for a retry are held.
///
/// Unchecked Sendable: `condition` guards the source, the retries and the in-flight count.
final class DeliveryScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private let source: () -> DeliveryRecipient?
    private var sourceDone = false
    private var retries: [(due: Double, job: DeliveryJob)] = []
    private var inFlight = 0
    private var stopped = false
    private var seen = Set<AddressDigest>()
    private let done: JournalState
    private let retryFailed: Bool

    /// Recipients skipped because an earlier run sent them.
    private(set) var alreadySent = 0
    /// Recipients skipped because an earlier run failed them for good (none with `retryFailed`).
    private(set) var alreadyFailed = 0
    /// Repeated addresses skipped.
    private(set) var duplicates = 0

    init(recipients: some Sequence<DeliveryRecipient>, journal: JournalState, retryFailed: Bool = false) {
        var iterator = recipients.makeIterator()
        source = { iterator.next() }
        self.done = journal
        self.retryFailed = retryFailed
    }

    private func pullFresh() -> DeliveryJob? {
        while let recipient = source() {
            guard seen.insert(AddressDigest(recipient.key)).inserted else {
                duplicates += 1
                continue
            }
            switch done[recipient.key]?.state {
            case .sent?:
                alreadySent += 1
            case .failed? where !retryFailed:
                alreadyFailed += 1
            default:
                return DeliveryJob(recipient: recipient)
            }
        }
        return nil
    }

    /// The next job, waiting for a due retry when nothing else is left; nil when everything is
    /// done or the run stopped. `beforeWaiting` runs (outside the lock) before any wait.
    func next(beforeWaiting: () -> Void) -> DeliveryJob? {
        condition.lock()
        defer { condition.unlock() }
        var prepared = false
        while true {
            if stopped { return nil }
            let now = monotonicSeconds()
            if let index = retries.indices.min(by: { retries[$0].due < retries[$1].due }), retries[index].due <= now {
                var job = retries.remove(at: index).job
                job.attempts += 1
                inFlight += 1
                return job
            }
            if !sourceDone {
                if var job = pullFresh() {
                    job.attempts = 1
                    inFlight += 1
                    return job
                }
                sourceDone = true
            }
            if retries.isEmpty && inFlight == 0 {
                condition.broadcast()
                return nil
            }
            if !prepared {
                condition.unlock()
                beforeWaiting()
                condition.lock()
                prepared = true
                continue
            }
            if let due = retries.map(\.due).min() {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(0.001, due - now)))
            } else {
                condition.wait()
            }
        }
    }

    /// A job is over; `retryAfter` seconds puts it back in the queue.
    func finish(_ job: DeliveryJob, retryAfter: Double? = nil) {
        condition.lock()
        defer { condition.unlock() }
        inFlight -= 1
        if let retryAfter { retries.append((monotonicSeconds() + retryAfter, job)) }
        condition.broadcast()
    }

    /// Recipients passed over so far (done in an earlier run, or repeated in the list).
    var skipped: Int {
        condition.lock()
        defer { condition.unlock() }
        return alreadySent + alreadyFailed + duplicates
    }

    /// Stops handing out jobs.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }

    /// Everyone not yet done, after the workers have ended: queued retries and the rest of the
    /// list.
    func remaining() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        var keys = retries.map(\.job.recipient.key)
        retries.removeAll()
        if !sourceDone {
            while let job = pullFresh() { keys.append(job.recipient.key) }
            sourceDone = true
        }
        return keys
    }
}

/// A token bucket: at most `perMinute` messages a minute, with a burst of at most one per
/// connection.
///
/// Unchecked Sendable: shared by the connections; `lock` guards `tokens` and `last`.
final class TokenBucket: @unchecked Sendable {
    private let lock = NSLock()
    private let perSecond: Double
    private let capacity: Double
    private var tokens: Double
    private var last: Double

    init(perMinute: Int, burst: Int) {
        perSecond = Double(perMinute) / 60
        capacity = max(1, min(Double(burst), perSecond))
        tokens = capacity
        last = monotonicSeconds()
    }

    /// Takes one token, sleeping until it is there.
    func acquire() {
        let wait: Double = lock.withLock {
            let now = monotonicSeconds()
            tokens = min(capacity, tokens + (now - last) * perSecond)
            last = now
            tokens -= 1
            return tokens < 0 ? -tokens / perSecond : 0
        }
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}
