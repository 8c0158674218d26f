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

    /// Creates an engine.
    public init(options: DeliveryOptions = DeliveryOptions(), journal: Journal?) {
        self.options = options
        self.journal = journal
    }

    /// Sends to every recipient not already done according to the journal.
    ///
    /// - Parameters:
    ///   - recipients: the list, read lazily, in order.
    ///   - total: how many recipients the list has, for progress; nil when unknown.
    ///   - render: builds one recipient's message (called on a connection's thread).
    ///   - makeTransport: opens one connection (called once per connection, and again never:
    ///     transports reconnect themselves).
    ///   - progress: called now and then, and once at the end.
    /// - Returns: what happened; `finished` is false while anyone is left pending.
    public func run(
        recipients: some Sequence<DeliveryRecipient>, total: Int? = nil,
        render: @escaping @Sendable (DeliveryRecipient) throws -> RenderedMessage,
        makeTransport: @escaping @Sendable () throws -> any Transport,
        progress: (@Sendable (DeliveryProgress) -> Void)? = nil
    ) -> DeliverySummary {
        let started = monotonicSeconds()
        let known = journal?.initialState ?? JournalState()
        let scheduler = DeliveryScheduler(recipients: recipients, journal: known, retryFailed: options.retryFailed)
        let refusals = RefusalLedger(options: options)
        let state = RunState(total: total, started: started, progress: progress, skipped: { scheduler.skipped })
        state.summary.uncertain = known.inFlight
        if let journal, !known.inFlight.isEmpty {
            let now = Int(Date().timeIntervalSince1970)
            let records = known.inFlight.map {
                JournalRecord(
                    time: now, state: .uncertain, key: $0, messageID: known[$0]?.messageID ?? "",
                    text: "in flight when an earlier run stopped; it may have arrived")
            }
            do { try journal.record(records) } catch { state.stop(error) }
        }
        let bucket = options.ratePerMinute.map { TokenBucket(perMinute: $0, burst: options.connections) }
        let group = DispatchGroup()
        if !state.isStopped {
            for index in 0..<options.connections {
                group.enter()
                let worker = Worker(
                    options: options, journal: journal, scheduler: scheduler, bucket: bucket, state: state,
                    refusals: refusals, render: render, makeTransport: makeTransport, isWithdrawn: isWithdrawn)
                let thread = Thread {
                    worker.run()
                    group.leave()
                }
                thread.name = "tiedote-smtp-\(index + 1)"
                thread.start()
            }
            group.wait()
        }
        scheduler.stop()
        var summary = state.finish(pending: scheduler.remaining())
        let settlement = refusals.settle(sentInRun: summary.sent, journal: journal)
        summary.failures += settlement.failures
        summary.held = settlement.held
        summary.pending += settlement.held.map(\.key)
        if let trip = settlement.trip, summary.stoppedBy == nil { summary.stoppedBy = MailError(.refused, trip.message) }
        summary.alreadySent = scheduler.alreadySent
        summary.alreadyFailed = scheduler.alreadyFailed
        summary.duplicatesInList = scheduler.duplicates
        summary.elapsed = monotonicSeconds() - started
        if let journal {
            do { try journal.sync() } catch {
                summary.stoppedBy = summary.stoppedBy ?? MailError(.journal, "\(error)")
            }
            summary.journalSyncs = journal.syncCount
        }
        progress?(state.progressNow(skipped: summary.alreadySent + summary.alreadyFailed + summary.duplicatesInList))
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
    private let skipped: @Sendable () -> Int
    private var lastProgress = 0.0
    private var stopped = false

    init(total: Int?, started: Double, progress: (@Sendable (DeliveryProgress) -> Void)?, skipped: @escaping @Sendable () -> Int) {
        self.total = total
        self.started = started
        self.progress = progress
        self.skipped = skipped
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
        if var snapshot {
            // Read outside this lock: the scheduler has its own.
            snapshot.skipped = skipped()
            progress?(snapshot)
        }
    }

    func progressNow(skipped: Int) -> DeliveryProgress {
        lock.withLock {
            DeliveryProgress(
                sent: summary.sent, failed: summary.failures.count, skipped: skipped, total: total,
                elapsed: monotonicSeconds() - started)
        }
    }

    func finish(pending: [String]) -> DeliverySummary {
        lock.withLock {
            summary.pending.append(contentsOf: pending)
            return summary
        }
    }
}

/// One connection's loop.
struct Worker: Sendable {
    var options: DeliveryOptions
    var journal: Journal?
    var scheduler: DeliveryScheduler
    var bucket: TokenBucket?
    var state: RunState
    var refusals: RefusalLedger
    var render: @Sendable (DeliveryRecipient) throws -> RenderedMessage
    var makeTransport: @Sendable () throws -> any Transport
    var isWithdrawn: (@Sendable (DeliveryRecipient) -> Bool)? = nil

    private func backoff(_ attempt: Int) -> Double {
        min(options.maxRetryDelay, options.retryDelay * pow(2, Double(max(0, attempt - 1))))
    }

    private func now() -> Int { Int(Date().timeIntervalSince1970) }

    /// Ends the run because of `error`: `job`'s recipient stays pending for the next run, and
    /// no connection takes another job.
    private func stopRun(leaving job: DeliveryJob, because error: Error) {
        state.stop(error)
        scheduler.finish(job)
        state.update { $0.pending.append(job.recipient.key) }
        scheduler.stop()
    }

    func run() {
        let transport: any Transport
        do { transport = try makeTransport() } catch {
            state.stop(error)
            scheduler.stop()
            return
        }
        var brokenInRow = 0
        while let job = scheduler.next(beforeWaiting: { try? journal?.sync() }) {
            if state.isStopped {
                scheduler.finish(job)
                state.update { $0.pending.append(job.recipient.key) }
                break
            }
            bucket?.acquire()
            let key = job.recipient.key
            if let isWithdrawn, isWithdrawn(job.recipient) {
                // Checked after the rate limit's wait, the last moment before the message starts.
                state.update { $0.suppressedDuringSend.append(key) }
                scheduler.finish(job)
                continue
            }
            let message: RenderedMessage
            do { message = try render(job.recipient) } catch {
                // Nothing went out, and a fixed template or list row should reach this
                // recipient on the next run: pending, never failed for good.
                let text = "not rendered: \(error)"
                _ = try? journal?.append([JournalRecord(time: now(), state: .deferred, key: key, text: text)])
                state.update { $0.pending.append(key) }
                scheduler.finish(job)
                continue
            }
            let id = message.envelope.messageID
            let ticket: Int?
            do {
                ticket = try journal?.append([JournalRecord(time: now(), state: .attempting, key: key, messageID: id)])
            } catch {
                stopRun(leaving: job, because: error)
                break
            }
            let outcome: DeliveryOutcome
            do {
                // The `attempting` line (and with it the previous message's outcome) must be on
                // disk before the server can take the message; the flush runs meanwhile.
                outcome = try transport.send(message.bytes, envelope: message.envelope) {
                    if let ticket { try journal?.waitDurable(ticket) }
                }
            } catch {
                // A run-stopping problem before the message could be taken: TLS refused, login
                // denied, or the journal could not be flushed at the commit gate.
                _ = try? journal?.append([
                    JournalRecord(time: now(), state: .deferred, key: key, messageID: id, text: "\(error)")
                ])
                stopRun(leaving: job, because: error)
                break
            }
            let stateAfter: RecipientState
            var retryAfter: Double?
            var giveUp = false
            switch outcome {
            case .sent:
                stateAfter = .sent
                brokenInRow = 0
                state.update { $0.sent += 1 }
            case .deferred:
                stateAfter = .deferred
                brokenInRow = 0
                if job.attempts < options.maxAttempts {
                    retryAfter = backoff(job.attempts)
                } else {
                    state.update { $0.pending.append(key) }
                }
            case .failed, .messageRefused:
                // Pending in the journal until the run ends: the breaker may yet show the relay at
                // fault (see `RefusalLedger`).
                stateAfter = .deferred
                brokenInRow = 0
                refusals.refused(job.recipient, outcome: outcome, messageID: id)
            case .connectionLost(_, let maybeDelivered):
                stateAfter = maybeDelivered ? .uncertain : .deferred
                brokenInRow += 1
                if maybeDelivered { state.update { $0.resentAfterBrokenConnection.append(key) } }
                if brokenInRow >= options.maxConnectionFailures {
                    giveUp = true
                } else if job.attempts < options.maxAttempts {
                    // The first break is retried at once on a fresh connection.
                    retryAfter = brokenInRow == 1 ? 0 : backoff(brokenInRow - 1)
                } else {
                    state.update { $0.pending.append(key) }
                }
            }
            do {
                let ticket = try journal?.append([
                    JournalRecord(time: now(), state: stateAfter, key: key, code: outcome.code, messageID: id, text: outcome.text)
                ])
                // Without a rate limit the next `attempting` fsync covers this line too; with
                // one, the connection may wait for a token first, so the outcome goes to disk now.
                if bucket != nil, let ticket { try journal?.waitDurable(ticket) }
            } catch {
                state.stop(error)
                scheduler.stop()
            }
            if let trip = refusals.record(outcome, key: key) {
                state.stop(MailError(.refused, trip.message))
                // A 4xx due for a retry is pending now; a 5xx is held by the ledger.
                if case .deferred = outcome, retryAfter != nil { state.update { $0.pending.append(key) } }
                scheduler.finish(job)
                scheduler.stop()
                break
            }
            if giveUp {
                stopRun(
                    leaving: job,
                    because: MailError(.connection, "the connection broke \(brokenInRow) times in a row: \(outcome.text)"))
                break
            }
            scheduler.finish(job, retryAfter: retryAfter)
        }
        try? journal?.sync()
    }
}
