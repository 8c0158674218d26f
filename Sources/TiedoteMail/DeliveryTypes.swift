import TiedoteCore

/// One recipient as the delivery engine sees it.
public struct DeliveryRecipient: Sendable, Hashable {
    /// The journal key (the address lower-cased).
    public var key: String
    /// The validated address.
    public var address: MailAddress
    /// The caller's own reference (the row in its list), handed back to `render`.
    public var index: Int
    /// The list row the message is made for, carried along so a streamed list needs no
    /// lookup table.
    public var subscriber: Subscriber?

    /// Creates a recipient keyed by its address.
    public init(address: MailAddress, index: Int = 0, subscriber: Subscriber? = nil) {
        self.key = address.key
        self.address = address
        self.index = index
        self.subscriber = subscriber
    }
}

/// A message ready for a transport.
public struct RenderedMessage: Sendable {
    /// The envelope.
    public var envelope: Envelope
    /// The wire bytes.
    public var bytes: [UInt8]

    /// Creates a rendered message.
    public init(envelope: Envelope, bytes: [UInt8]) {
        self.envelope = envelope
        self.bytes = bytes
    }
}

/// How a delivery run behaves.
public struct DeliveryOptions: Sendable {
    /// Parallel connections (threads, one transport each).
    public var connections: Int
    /// Messages per minute at most; nil for no limit.
    public var ratePerMinute: Int?
    /// How many times one recipient is handed over at most in one run (4xx and broken
    /// connections count).
    public var maxAttempts: Int
    /// Seconds before the first retry after a 4xx; doubled on each further retry.
    public var retryDelay: Double
    /// The longest wait between retries, in seconds.
    public var maxRetryDelay: Double
    /// Failed connections in a row after which a connection gives up.
    public var maxConnectionFailures: Int
    /// The run stops when its first this many recipients all fail alike (see `RefusalBreaker`).
    public var breakerOpening: Int
    /// The run stops when this many recipients in a row fail alike.
    public var breakerInRow: Int
    /// Sends again to recipients that failed for good in an earlier run (`send --retry-failed`).
    public var retryFailed: Bool
    /// This many 421/451 from one relay within `slowDownWindow` seconds halve its connections
    /// and rate.
    public var slowDownAfter: Int
    /// The window of `slowDownAfter`, in seconds.
    public var slowDownWindow: Double
    /// Seconds without a 4xx after which a slowed relay is raised back one step.
    public var quietPeriod: Double
    /// 4xx replies or failed connections in a row after which a relay rests (when another relay
    /// can take its share).
    public var restAfter: Int
    /// A relay's first rest, in seconds; each further rest in a row doubles it (up to 8×).
    public var restDelay: Double

    /// Creates options.
    public init(
        connections: Int = 1, ratePerMinute: Int? = nil, maxAttempts: Int = 5, retryDelay: Double = 2,
        maxRetryDelay: Double = 60, maxConnectionFailures: Int = 5, breakerOpening: Int = 5, breakerInRow: Int = 20,
        retryFailed: Bool = false, slowDownAfter: Int = 3, slowDownWindow: Double = 60, quietPeriod: Double = 60,
        restAfter: Int = 3, restDelay: Double = 30
    ) {
        self.connections = max(1, connections)
        self.ratePerMinute = ratePerMinute.flatMap { $0 > 0 ? $0 : nil }
        self.maxAttempts = max(1, maxAttempts)
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.maxConnectionFailures = max(1, maxConnectionFailures)
        self.breakerOpening = max(1, breakerOpening)
        self.breakerInRow = max(1, breakerInRow)
        self.retryFailed = retryFailed
        self.slowDownAfter = max(1, slowDownAfter)
        self.slowDownWindow = slowDownWindow
        self.quietPeriod = quietPeriod
        self.restAfter = max(1, restAfter)
        self.restDelay = restDelay
    }
}

/// How far a run has come, for a progress line.
public struct DeliveryProgress: Sendable, Hashable {
    /// Recipients the server took in this run.
    public var sent: Int
    /// Recipients refused for good in this run.
    public var failed: Int
    /// Recipients already done in an earlier run (skipped).
    public var skipped: Int
    /// Recipients of the list, when known.
    public var total: Int?
    /// Seconds since the run started.
    public var elapsed: Double
    /// Recipients not yet done and not waiting for a retry (in flight or not yet reached).
    public var pending: Int
    /// Recipients waiting for a retry (after a 4xx or a broken connection).
    public var retrying: Int
    /// What the relays made the run do (slowed down, raised back, rested), oldest first, each
    /// a line like "oma: 3× 421/451 in 60 s, down to 2 connections and 150/min".
    public var notices: [String]

    /// Creates a progress report.
    public init(
        sent: Int, failed: Int = 0, skipped: Int = 0, total: Int? = nil, elapsed: Double, pending: Int = 0,
        retrying: Int = 0, notices: [String] = []
    ) {
        self.sent = sent
        self.failed = failed
        self.skipped = skipped
        self.total = total
        self.elapsed = elapsed
        self.pending = pending
        self.retrying = retrying
        self.notices = notices
    }

    /// Messages per second so far.
    public var rate: Double { elapsed > 0 ? Double(sent + failed) / elapsed : 0 }

    /// Seconds still needed at the current rate, when the total is known.
    public var eta: Double? {
        guard let total, rate > 0 else { return nil }
        return Double(max(0, total - sent - failed - skipped)) / rate
    }
}

/// What a run did.
public struct DeliverySummary: Sendable, Hashable {
    /// A recipient the server refused for good.
    public struct Failure: Sendable, Hashable {
        /// The address.
        public var address: MailAddress
        /// The reply code.
        public var code: Int
        /// The reply text.
        public var text: String
        /// True when the reply says the mailbox is bad (to be added to the suppression list).
        public var isBounce: Bool
    }

    /// A recipient left pending by a refusal that says nothing about its address (policy,
    /// protocol, the mail system, the message), or by the circuit breaker.
    public struct Held: Sendable, Hashable {
        /// The recipient's key.
        public var key: String
        /// The reply code.
        public var code: Int
        /// The reply text.
        public var text: String
    }

    /// Recipients the server took in this run.
    public var sent = 0
    /// Recipients sent in an earlier run and skipped now.
    public var alreadySent = 0
    /// Recipients that failed in an earlier run and were not tried again.
    public var alreadyFailed = 0
    /// The same address appearing again in the recipients (sent once).
    public var duplicatesInList = 0
    /// Refusals in this run.
    public var failures: [Failure] = []
    /// Recipients refused in this run but left pending (they are in `pending` too).
    public var held: [Held] = []
    /// Recipients left to send (still deferred after the last retry, or not reached because
    /// the run stopped).
    public var pending: [String] = []
    /// Recipients that were in flight when an earlier run stopped, sent again in this one:
    /// the only ones that may have received two copies.
    public var uncertain: [String] = []
    /// Recipients suppressed (e.g. unsubscribed) after the run began and before their message
    /// was started: neither sent nor failed, and never sent by a later run either.
    public var suppressedDuringSend: [String] = []
    /// Messages handed over more than once in this run because a connection broke after the
    /// whole message had gone out.
    public var resentAfterBrokenConnection: [String] = []
    /// What the relays made the run do (slowed down, raised back, rested), oldest first.
    public var notices: [String] = []
    /// Why the run stopped early, if it did.
    public var stoppedBy: MailError?
    /// Seconds the run took.
    public var elapsed: Double = 0
    /// fsyncs of the journal.
    public var journalSyncs = 0

    /// True when nobody is left pending and the run was not stopped.
    public var finished: Bool { pending.isEmpty && stoppedBy == nil }

    /// The addresses to add to the suppression list as bounced.
    public var bounces: [MailAddress] { failures.filter(\.isBounce).map(\.address) }
}
