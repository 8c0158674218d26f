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
    /// Attempts given back because the relay closed the connection (421) before judging the
    /// recipient; bounded, so a relay that closes on one recipient every time cannot loop.
    var refunds = 0
}

/// One relay as the scheduler sees it: its health (rest, connections and rate now), which of
/// its workers are still alive, and its token bucket, whose rate follows the health's.
struct RelayLane: Sendable {
    var health: RelayHealth
    var live: [Bool]
    let bucket: TokenBucket?

    /// True when worker `slot` may take a job now: the relay is not resting and the slot is
    /// among the first `health.connections` live ones.
    func mayWork(_ slot: Int, at now: Double) -> Bool {
        guard !health.isResting(at: now) else { return false }
        return live[..<slot].count(where: { $0 }) < health.connections
    }

    /// True while it has a worker and is not resting.
    func canWork(at now: Double) -> Bool { !health.isResting(at: now) && live.contains(true) }
}

/// Hands recipients to connections: fresh ones streamed from the list, retries when due, to
/// whichever relay has a connection free to take them.
///
/// The list is read lazily under the lock, so a 100,000-line list never sits in memory as
/// rendered messages; only recipients waiting for a retry are held.
///
/// Unchecked Sendable: `condition` guards the source, the retries, the counts, every relay's
/// `RelayLane` and the notices. Nothing here blocks while holding it except the condition's own
/// waits; the only lock taken under it is a token bucket's (to change its rate).
final class DeliveryScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var lanes: [RelayLane]
    private var noticeLog: [String] = []
    private var settled = 0
    private let source: () -> DeliveryRecipient?
    private var sourceDone = false
    private var retries: [(due: Double, job: DeliveryJob)] = []
    private var inFlight = 0
    private var stopped = false
    private var seen: AddressDigestTable
    private let done: JournalState
    private let retryFailed: Bool

    /// Recipients skipped because an earlier run sent them.
    private(set) var alreadySent = 0
    /// Recipients skipped because an earlier run failed them for good (none with `retryFailed`).
    private(set) var alreadyFailed = 0
    /// Repeated addresses skipped.
    private(set) var duplicates = 0

    /// `total`: the recipients expected, when known, so that the table of those taken is
    /// allocated once at its size (see `AddressDigestTable`).
    init(recipients: some Sequence<DeliveryRecipient>, total: Int?, journal: JournalState, retryFailed: Bool, lanes: [RelayLane]) {
        seen = AddressDigestTable(expected: total ?? 0)
        var iterator = recipients.makeIterator()
        source = { iterator.next() }
        self.done = journal
        self.retryFailed = retryFailed
        self.lanes = lanes
    }

    private func pullFresh() -> DeliveryJob? {
        while let recipient = source() {
            guard seen.insert(AddressDigest(recipient.key)) == nil else {
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

    /// The next job for worker `slot` of relay `lane`, waiting for a due retry when nothing
    /// else is left, or while the relay rests or has fewer connections than `slot`; nil when
    /// everything is done or the run stopped. `beforeWaiting` runs (outside the lock) before a
    /// wait, with true when the worker is parked (its connection should close meanwhile).
    func next(lane: Int, slot: Int, beforeWaiting: (_ parked: Bool) -> Void) -> DeliveryJob? {
        condition.lock()
        defer { condition.unlock() }
        var prepared = false
        var parked = false
        while true {
            if stopped { return nil }
            if sourceDone && retries.isEmpty && inFlight == 0 {
                condition.broadcast()
                return nil
            }
            let now = monotonicSeconds()
            if !mayWork(lane: lane, slot: slot, at: now) {
                if !parked {
                    condition.unlock()
                    beforeWaiting(true)
                    condition.lock()
                    parked = true
                    continue
                }
                // Woken by any change; timed, for the end of a rest and the raise after a quiet period.
                let until = lanes[lane].health.restedUntil > now ? min(lanes[lane].health.restedUntil, now + 1) : now + 1
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(0.001, until - now)))
                continue
            }
            if let job = take(at: now) { return job }
            if retries.isEmpty && inFlight == 0 {
                condition.broadcast()
                return nil
            }
            if !prepared {
                condition.unlock()
                beforeWaiting(false)
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

    /// A due retry or a fresh recipient, counted in flight; nil when neither is there.
    private func take(at now: Double) -> DeliveryJob? {
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
        return nil
    }

    /// Whether the relay lets this worker work now (raising its limits after a quiet period).
    private func mayWork(lane: Int, slot: Int, at now: Double) -> Bool {
        if let notice = lanes[lane].health.raiseIfQuiet(at: now) {
            noticeLog.append(notice)
            lanes[lane].bucket?.setRate(perMinute: lanes[lane].health.ratePerMinute ?? 1)
            condition.broadcast()
        }
        return lanes[lane].mayWork(slot, at: now)
    }

    /// A job is over; `retryAfter` seconds puts it back in the queue. `event` tells the relay's
    /// health how the relay did (nil when the relay was not asked).
    func finish(_ job: DeliveryJob, retryAfter: Double? = nil, lane: Int = 0, event: RelayHealth.Event? = nil) {
        condition.lock()
        defer { condition.unlock() }
        inFlight -= 1
        if let retryAfter { retries.append((monotonicSeconds() + retryAfter, job)) } else { settled += 1 }
        if let event, lanes.indices.contains(lane) { record(event, lane: lane) }
        condition.broadcast()
    }

    private func record(_ event: RelayHealth.Event, lane: Int) {
        let now = monotonicSeconds()
        // Only trouble asks whether another relay could take over (the common answer does not).
        let others = event != .answered && lanes.indices.contains { $0 != lane && lanes[$0].canWork(at: now) }
        let rate = lanes[lane].health.ratePerMinute
        noticeLog += lanes[lane].health.record(event, at: now, othersCanWork: others)
        if let changed = lanes[lane].health.ratePerMinute, changed != rate { lanes[lane].bucket?.setRate(perMinute: changed) }
    }

    /// Worker `slot` of relay `lane` gave up; true when it was the run's last live worker.
    func retire(lane: Int, slot: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard lanes.indices.contains(lane) else { return true }
        lanes[lane].live[slot] = false
        condition.broadcast()
        return !lanes.contains { $0.live.contains(true) }
    }

    /// For the progress line: recipients passed over, settled in this run, and waiting for a
    /// retry; and every notice so far, oldest first.
    func progressCounts() -> (skipped: Int, settled: Int, retrying: Int, notices: [String]) {
        condition.lock()
        defer { condition.unlock() }
        return (alreadySent + alreadyFailed + duplicates, settled, retries.count, noticeLog)
    }

    /// Every notice so far, oldest first.
    var notices: [String] {
        condition.lock()
        defer { condition.unlock() }
        return noticeLog
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
