import Foundation

/// One connection's loop: takes jobs for its relay from the scheduler, sends each over its own
/// transport and records what became of it.
///
/// The worker's thread alone owns its `Connection` (the transport, that is one libcurl handle,
/// and the counts that belong to it); everything shared goes through the scheduler, the run
/// state, the journal, the ledger and the token buckets, each with its own lock.
struct Worker: Sendable {
    var options: DeliveryOptions
    var journal: Journal?
    var scheduler: DeliveryScheduler
    var state: RunState
    var refusals: RefusalLedger
    var render: @Sendable (DeliveryRecipient) throws -> RenderedMessage
    var isWithdrawn: (@Sendable (DeliveryRecipient) -> Bool)? = nil
    /// The recipient's envelope without the message (see `Delivery.envelope`).
    var envelope: (@Sendable (DeliveryRecipient) throws -> Envelope)? = nil
    /// The recipient's message if made already (see `Delivery.madeAlready`).
    var madeAlready: (@Sendable (DeliveryRecipient) -> RenderedMessage?)? = nil
    /// The relay this worker sends through, its index in the scheduler, and the worker's slot.
    var relay: DeliveryRelay
    var lane = 0
    var slot = 0
    /// The relay's own bucket and the whole send's, taken in that order.
    var relayBucket: TokenBucket?
    var sendBucket: TokenBucket?

    /// The thread's own connection.
    struct Connection {
        var transport: (any Transport)?
        /// Messages handed over on this connection (for `messagesPerConnection`).
        var messages = 0
        /// 421s and broken connections in a row (for `maxConnectionFailures`).
        var brokenInRow = 0
        /// The last message's `sent` line, not yet written: it goes out in one write with the
        /// next recipient's `attempting` line (one write a message instead of two), or alone
        /// before this thread waits or ends. Never a line another connection could act on:
        /// only a final `sent` waits here, and only while no rate limit can delay the next job.
        var unwritten: JournalRecord?

        /// Drops the transport: libcurl says QUIT on a connection still open.
        mutating func close() {
            transport = nil
            messages = 0
        }
    }

    /// A message about to go out: its envelope, and its bytes, made or in the making.
    struct Prepared {
        var envelope: Envelope
        var body: @Sendable () throws -> [UInt8]
    }

    /// How handing one message over ended.
    enum Handover {
        case outcome(DeliveryOutcome)
        /// The message could not be made; nothing was taken and the recipient is pending.
        case unmade
        /// The run stopped.
        case stopped
    }

    /// What one outcome means for the recipient, the connection and the relay.
    struct Verdict {
        var state: RecipientState
        var retryAfter: Double?
        var event: RelayHealth.Event
        var giveUp = false
    }

    func run() {
        var connection = Connection()
        while let job = scheduler.next(lane: lane, slot: slot, beforeWaiting: { parked in
            writeUnwritten(&connection)
            try? journal?.sync()
            // A parked worker (its relay rests, or has fewer connections now) holds no session.
            if parked { connection.close() }
        }) {
            if !handle(job, &connection) { break }
        }
        writeUnwritten(&connection)
        try? journal?.sync()
    }

    /// Writes the held `sent` line on its own (before a wait, at the end, on a path that
    /// writes no `attempting` line).
    private func writeUnwritten(_ connection: inout Connection) {
        guard let record = connection.unwritten else { return }
        connection.unwritten = nil
        do { try journal?.append([record]) } catch {
            state.stop(error)
            scheduler.stop()
        }
    }

    /// One job from start to end; false when this worker stops.
    private func handle(_ job: DeliveryJob, _ connection: inout Connection) -> Bool {
        if state.isStopped {
            writeUnwritten(&connection)
            scheduler.finish(job)
            state.update { $0.pending.append(job.recipient.key) }
            return false
        }
        guard let message = prepare(job) else {
            writeUnwritten(&connection)
            return true
        }
        if connection.transport == nil {
            do { connection.transport = try relay.makeTransport() } catch {
                stopRun(leaving: job, because: error)
                return false
            }
        }
        let carried = connection.unwritten
        connection.unwritten = nil
        guard let transport = connection.transport else { return false }
        switch deliver(job, message, over: transport, after: carried) {
        case .stopped:
            return false
        case .unmade:
            // The transport dropped the cut connection and starts afresh.
            connection.messages = 0
            return true
        case .outcome(let outcome):
            connection.messages += 1
            return settle(job, outcome, messageID: message.envelope.messageID, &connection)
        }
    }

    /// Waits for the rate limits, then checks the recipient is still wanted and starts its
    /// message: made on another thread while the transport opens the dialogue when the
    /// envelope can be had alone, else made here; nil when the job ended here.
    private func prepare(_ job: DeliveryJob) -> Prepared? {
        relayBucket?.acquire()
        sendBucket?.acquire()
        let key = job.recipient.key
        if let isWithdrawn, isWithdrawn(job.recipient) {
            // Checked after the rate limit's wait, the last moment before the message starts.
            state.update { $0.suppressedDuringSend.append(key) }
            scheduler.finish(job)
            return nil
        }
        do {
            // Made ahead: no other thread to ask (bench "Send 10,000, 4 conn": a hop to the
            // global queue and back for every message, two thread switches).
            if let message = madeAlready?(job.recipient) {
                return Prepared(envelope: message.envelope, body: { message.bytes })
            }
            if let envelope {
                let made = try envelope(job.recipient)
                let message = MessageInMaking(job.recipient, render: render)
                return Prepared(envelope: made, body: { try message.bytes(for: made) })
            }
            let message = try render(job.recipient)
            return Prepared(envelope: message.envelope, body: { message.bytes })
        } catch {
            notMade(job, error)
            return nil
        }
    }

    /// Ends a job whose message could not be made: nothing was taken, and a fixed template or
    /// list row should reach this recipient on the next run, so pending, never failed for good.
    private func notMade(_ job: DeliveryJob, _ error: any Error, messageID: String = "") {
        let record = JournalRecord(time: now(), state: .deferred, key: job.recipient.key, messageID: messageID, text: "not rendered: \(error)")
        _ = try? journal?.append([record])
        state.update { $0.pending.append(job.recipient.key) }
        scheduler.finish(job)
    }

    /// Journals the attempt (after `carried`, the last message's held `sent` line) and hands
    /// the message over.
    private func deliver(
        _ job: DeliveryJob, _ message: Prepared, over transport: any Transport, after carried: JournalRecord?
    ) -> Handover {
        let key = job.recipient.key
        let id = message.envelope.messageID
        let ticket: Int?
        do {
            let attempt = JournalRecord(time: now(), state: .attempting, key: key, messageID: id, relay: relay.name)
            ticket = try journal?.append(carried.map { [$0, attempt] } ?? [attempt])
        } catch {
            stopRun(leaving: job, because: error)
            return .stopped
        }
        do {
            // The `attempting` line (and with it the previous message's outcome) must be on
            // disk before the server can take the message; the flush runs meanwhile.
            return .outcome(try transport.send(envelope: message.envelope, body: message.body) {
                if let ticket { try journal?.waitDurable(ticket) }
            })
        } catch let unmade as UnmadeMessage {
            notMade(job, unmade.reason, messageID: id)
            return .unmade
        } catch {
            // A run-stopping problem before the message could be taken: TLS refused, login
            // denied, or the journal could not be flushed at the commit gate.
            _ = try? journal?.append([
                JournalRecord(time: now(), state: .deferred, key: key, messageID: id, text: "\(error)", relay: relay.name)
            ])
            stopRun(leaving: job, because: error)
            return .stopped
        }
    }

    /// Journals the outcome and ends the job (or queues its retry); false when this worker stops.
    private func settle(_ job: DeliveryJob, _ outcome: DeliveryOutcome, messageID id: String, _ connection: inout Connection) -> Bool {
        var job = job
        let key = job.recipient.key
        let verdict = judge(outcome, &job, &connection, messageID: id)
        let record = JournalRecord(
            time: now(), state: verdict.state, key: key, code: outcome.code, messageID: id, text: outcome.text, relay: relay.name)
        let limited = relayBucket != nil || sendBucket != nil
        do {
            if verdict.state == .sent, verdict.retryAfter == nil, !verdict.giveUp, !limited, journal != nil {
                // Written with the next `attempting` line (see `Connection.unwritten`).
                connection.unwritten = record
            } else {
                let ticket = try journal?.append([record])
                // Without a rate limit the next `attempting` fsync covers this line too; with
                // one, the connection may wait for a token first, so the outcome goes to disk now.
                if limited, let ticket { try journal?.waitDurable(ticket) }
            }
        } catch {
            state.stop(error)
            scheduler.stop()
        }
        if let trip = refusals.record(outcome, key: key) {
            state.stop(MailError(.refused, trip.message))
            // A 4xx due for a retry is pending now; a 5xx is held by the ledger.
            if case .deferred = outcome, verdict.retryAfter != nil { state.update { $0.pending.append(key) } }
            scheduler.finish(job)
            scheduler.stop()
            return false
        }
        if let limit = relay.messagesPerConnection, connection.messages >= limit { connection.close() }
        guard verdict.giveUp else {
            scheduler.finish(job, retryAfter: verdict.retryAfter, lane: lane, event: verdict.event)
            return true
        }
        // This connection gives up; the run stops only when no other connection is left.
        if scheduler.retire(lane: lane, slot: slot) {
            let text = "the connection broke \(connection.brokenInRow) times in a row: \(outcome.text)"
            stopRun(leaving: job, because: MailError(.connection, relay.name.isEmpty ? text : "\(relay.name): \(text)"))
        } else {
            scheduler.finish(job, retryAfter: 0, lane: lane, event: verdict.event)
        }
        return false
    }

    /// What `outcome` means: the recipient's new state, when to retry, how the relay did; and
    /// whether this connection closes (421, broken) or gives up.
    private func judge(
        _ outcome: DeliveryOutcome, _ job: inout DeliveryJob, _ connection: inout Connection, messageID id: String
    ) -> Verdict {
        let key = job.recipient.key
        switch outcome {
        case .sent:
            connection.brokenInRow = 0
            state.update { $0.sent += 1 }
            return Verdict(state: .sent, retryAfter: nil, event: .answered)
        case .deferred(let code, _) where code == 421:
            // The relay closes the connection (too many connections, too many messages on one):
            // not a verdict on the recipient, so the attempt is given back (a bounded number of times).
            connection.close()
            connection.brokenInRow += 1
            if job.refunds < options.maxAttempts {
                job.attempts -= 1
                job.refunds += 1
            }
            return brokenVerdict(.deferred, .slowDown, job, connection)
        case .deferred(let code, _):
            connection.brokenInRow = 0
            let event: RelayHealth.Event = code == 451 ? .slowDown : .trouble
            guard job.attempts < options.maxAttempts else {
                state.update { $0.pending.append(key) }
                return Verdict(state: .deferred, retryAfter: nil, event: event)
            }
            return Verdict(state: .deferred, retryAfter: backoff(job.attempts), event: event)
        case .failed, .messageRefused:
            // Pending in the journal until the run ends: the breaker may yet show the relay at
            // fault (see `RefusalLedger`).
            connection.brokenInRow = 0
            refusals.refused(job.recipient, outcome: outcome, messageID: id)
            return Verdict(state: .deferred, retryAfter: nil, event: .answered)
        case .connectionLost(_, let maybeDelivered):
            connection.close()
            connection.brokenInRow += 1
            if maybeDelivered { state.update { $0.resentAfterBrokenConnection.append(key) } }
            return brokenVerdict(maybeDelivered ? .uncertain : .deferred, .trouble, job, connection)
        }
    }

    /// A closed or broken connection: the first in a row is retried at once on a fresh one.
    private func brokenVerdict(
        _ recipientState: RecipientState, _ event: RelayHealth.Event, _ job: DeliveryJob, _ connection: Connection
    ) -> Verdict {
        if connection.brokenInRow >= options.maxConnectionFailures {
            return Verdict(state: recipientState, retryAfter: nil, event: event, giveUp: true)
        }
        guard job.attempts < options.maxAttempts else {
            state.update { $0.pending.append(job.recipient.key) }
            return Verdict(state: recipientState, retryAfter: nil, event: event)
        }
        let delay = connection.brokenInRow == 1 ? 0 : backoff(connection.brokenInRow - 1)
        return Verdict(state: recipientState, retryAfter: delay, event: event)
    }

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
}
