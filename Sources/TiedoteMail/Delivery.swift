import Foundation

/// The delivery engine: sends one message per recipient over N parallel connections, with a
/// rate limit, retries for 4xx replies and a journal that makes the run resumable.
///
/// Recipients are streamed; each message is rendered just before it is sent, on the
/// connection's own thread. Every recipient is journalled `attempting` before its message goes
/// out, and that line is on disk before the server can take the message (the transport waits
/// for it before SMTP's end of data, so the flush overlaps the dialogue); `sent`/`deferred`/
/// `failed` follows the reply and reaches the disk with the next flush: at the connection's
/// next commit, before it waits for work, or at once when a rate limit may delay the next one.
public struct Delivery: Sendable {
    /// How the run behaves.
    public var options: DeliveryOptions
    /// Where states go; nil for a run without a journal (`--to` test copies).
    public var journal: Journal?
    /// Asked before each message is started (a first try or a retry): true when the recipient
    /// was withdrawn since the run began (unsubscribed meanwhile). Such a recipient is neither
    /// sent nor failed; the summary names it in `suppressedDuringSend`.
    public var isWithdrawn: (@Sendable (DeliveryRecipient) -> Bool)?
    /// Makes one recipient's envelope without its message, when the caller can. With it, each
    /// message is made on another thread while its connection opens (greeting, EHLO) and sends
    /// MAIL FROM, RCPT TO and DATA, and is handed over only when the relay wants the body; a
    /// message that cannot be made is never taken (the recipient stays pending). The
    /// envelope `render` makes must be the same, or the message is not sent.
    public var envelope: (@Sendable (DeliveryRecipient) throws -> Envelope)?
    /// The recipient's message when it is made already (made ahead), without waiting; nil
    /// when it is not. Such a message goes out as it is, with no other thread asked to make it.
    public var madeAlready: (@Sendable (DeliveryRecipient) -> RenderedMessage?)?

    /// Creates an engine.
    public init(options: DeliveryOptions = DeliveryOptions(), journal: Journal?) {
        self.options = options
        self.journal = journal
    }

    /// Sends to every recipient not already done according to the journal, over
    /// `options.connections` connections that `makeTransport` opens (one relay, unnamed).
    public func run(
        recipients: some Sequence<DeliveryRecipient>, total: Int? = nil,
        render: @escaping @Sendable (DeliveryRecipient) throws -> RenderedMessage,
        makeTransport: @escaping @Sendable () throws -> any Transport,
        progress: (@Sendable (DeliveryProgress) -> Void)? = nil
    ) -> DeliverySummary {
        let relay = DeliveryRelay(connections: options.connections, makeTransport: makeTransport)
        return run(recipients: recipients, total: total, render: render, relays: [relay], progress: progress)
    }

    /// Sends to every recipient not already done according to the journal, spread over
    /// `relays`: every recipient goes to whichever relay has a connection free.
    ///
    /// Who owns what: this thread starts one thread per connection (each relay's
    /// `connections`) and waits for them all; each thread owns its transport. The scheduler
    /// (one lock) owns the queue and every relay's health (rest, connections and rate now);
    /// each relay's token bucket and the whole send's (`options.ratePerMinute`) have their own
    /// lock, taken one at a time and slept on outside every other lock.
    ///
    /// - Parameters:
    ///   - recipients: the list, read lazily, in order.
    ///   - total: how many recipients the list has, for progress; nil when unknown.
    ///   - render: builds one recipient's message (called on a connection's thread).
    ///   - relays: where messages go, in order; at least one.
    ///   - progress: called now and then, and once at the end.
    /// - Returns: what happened; `finished` is false while anyone is left pending.
    public func run(
        recipients: some Sequence<DeliveryRecipient>, total: Int? = nil,
        render: @escaping @Sendable (DeliveryRecipient) throws -> RenderedMessage,
        relays: [DeliveryRelay],
        progress: (@Sendable (DeliveryProgress) -> Void)? = nil
    ) -> DeliverySummary {
        let started = monotonicSeconds()
        let known = journal?.initialState ?? JournalState()
        let lanes = relays.map { relay in
            RelayLane(
                health: RelayHealth(name: relay.name, connections: relay.connections, ratePerMinute: relay.ratePerMinute, options: options),
                live: Array(repeating: true, count: relay.connections),
                bucket: relay.ratePerMinute.map { TokenBucket(perMinute: $0, burst: relay.connections) })
        }
        let scheduler = DeliveryScheduler(recipients: recipients, total: total, journal: known, retryFailed: options.retryFailed, lanes: lanes)
        let refusals = RefusalLedger(options: options, relays: relays.count)
        let state = RunState(total: total, started: started, progress: progress, counts: { scheduler.progressCounts() })
        state.summary.uncertain = known.inFlight
        markUncertain(known, state: state)
        let connections = relays.reduce(0) { $0 + $1.connections }
        let sendBucket = options.ratePerMinute.map { TokenBucket(perMinute: $0, burst: connections) }
        if !state.isStopped && !relays.isEmpty {
            let group = DispatchGroup()
            for (lane, relay) in relays.enumerated() {
                for slot in 0..<relay.connections {
                    let worker = Worker(
                        options: options, journal: journal, scheduler: scheduler, state: state, refusals: refusals,
                        render: render, isWithdrawn: isWithdrawn, envelope: envelope, madeAlready: madeAlready, relay: relay,
                        lane: lane, slot: slot,
                        relayBucket: lanes[lane].bucket, sendBucket: sendBucket)
                    group.enter()
                    let thread = Thread {
                        worker.run()
                        group.leave()
                    }
                    thread.name = "tiedote-smtp-\(relay.name.isEmpty ? "" : relay.name + "-")\(slot + 1)"
                    thread.start()
                }
            }
            group.wait()
        }
        scheduler.stop()
        let summary = finish(state: state, scheduler: scheduler, refusals: refusals, started: started)
        progress?(state.progressNow(skipped: summary.alreadySent + summary.alreadyFailed + summary.duplicatesInList))
        return summary
    }

    /// Recipients in flight when an earlier run stopped: journalled `uncertain` before anything else.
    private func markUncertain(_ known: JournalState, state: RunState) {
        guard let journal, !known.inFlight.isEmpty else { return }
        let now = Int(Date().timeIntervalSince1970)
        let records = known.inFlight.map {
            JournalRecord(
                time: now, state: .uncertain, key: $0, messageID: known[$0]?.messageID ?? "",
                text: "in flight when an earlier run stopped; it may have arrived")
        }
        do { try journal.record(records) } catch { state.stop(error) }
    }

    /// The summary once every connection has ended: the rest of the list pending, the
    /// refusals settled, the journal synced.
    private func finish(state: RunState, scheduler: DeliveryScheduler, refusals: RefusalLedger, started: Double) -> DeliverySummary {
        var summary = state.finish(pending: scheduler.remaining())
        let settlement = refusals.settle(sentInRun: summary.sent, journal: journal)
        summary.failures += settlement.failures
        summary.held = settlement.held
        summary.pending += settlement.held.map(\.key)
        if let trip = settlement.trip, summary.stoppedBy == nil { summary.stoppedBy = MailError(.refused, trip.message) }
        summary.alreadySent = scheduler.alreadySent
        summary.alreadyFailed = scheduler.alreadyFailed
        summary.duplicatesInList = scheduler.duplicates
        summary.notices = scheduler.notices
        summary.elapsed = monotonicSeconds() - started
        if let journal {
            do { try journal.sync() } catch {
                summary.stoppedBy = summary.stoppedBy ?? MailError(.journal, "\(error)")
            }
            summary.journalSyncs = journal.syncCount
        }
        return summary
    }
}

/// What the connections share while a run goes on.
///
/// Unchecked Sendable: every connection thread updates it; `lock` guards `summary` and the counters.
final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    var summary = DeliverySummary()
    private let total: Int?
    private let started: Double
    private let progress: (@Sendable (DeliveryProgress) -> Void)?
    private let counts: @Sendable () -> (skipped: Int, settled: Int, retrying: Int, notices: [String])
    private var lastProgress = 0.0
    private var stopped = false

    init(
        total: Int?, started: Double, progress: (@Sendable (DeliveryProgress) -> Void)?,
        counts: @escaping @Sendable () -> (skipped: Int, settled: Int, retrying: Int, notices: [String])
    ) {
        self.total = total
        self.started = started
        self.progress = progress
        self.counts = counts
    }

    var isStopped: Bool { lock.withLock { stopped } }

    func stop(_ error: Error) {
        lock.withLock {
            stopped = true
            if summary.stoppedBy == nil {
                summary.stoppedBy = error as? MailError ?? MailError(.connection, "\(error)")
            }
        }
    }

    func update(_ change: (inout DeliverySummary) -> Void) {
        let snapshot: DeliveryProgress? = lock.withLock {
            change(&summary)
            let now = monotonicSeconds()
            guard progress != nil, now - lastProgress >= 0.25 else { return nil }
            lastProgress = now
            return DeliveryProgress(sent: summary.sent, failed: summary.failures.count, skipped: 0, total: total, elapsed: now - started)
        }
        if let snapshot { progress?(withCounts(snapshot)) }
    }

    func progressNow(skipped: Int) -> DeliveryProgress {
        var snapshot = lock.withLock {
            DeliveryProgress(sent: summary.sent, failed: summary.failures.count, total: total, elapsed: monotonicSeconds() - started)
        }
        snapshot = withCounts(snapshot)
        snapshot.skipped = skipped
        return snapshot
    }

    /// Adds the scheduler's counts, read outside this lock (the scheduler has its own, and
    /// never takes this one).
    private func withCounts(_ snapshot: DeliveryProgress) -> DeliveryProgress {
        var snapshot = snapshot
        let counts = counts()
        snapshot.skipped = counts.skipped
        snapshot.retrying = counts.retrying
        snapshot.notices = counts.notices
        // `sent` may already count a job the scheduler has not yet been told is over: whichever
        // count is ahead is the true one, so the three figures never add up past the total.
        let settled = max(counts.settled, snapshot.sent + snapshot.failed)
        if let total { snapshot.pending = max(0, total - counts.skipped - settled - counts.retrying) }
        return snapshot
    }

    func finish(pending: [String]) -> DeliverySummary {
        lock.withLock {
            summary.pending.append(contentsOf: pending)
            return summary
        }
    }
}
