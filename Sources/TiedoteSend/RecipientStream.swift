import Foundation
import TiedoteMail

/// Recipients produced on a thread of their own and taken one at a time by the delivery
/// engine, with at most `capacity` waiting: a send holds a window of the list, never all of it.
///
/// With `prepare`, the producer also makes each recipient's message as it reads the row, so a
/// connection's cycle holds the SMTP dialogue and not the rendering; a connection takes the
/// message with `prepared(for:)`, or renders it itself when there is none (a retry, a
/// recipient the producer passed over, a message dropped unused). A recipient put while a
/// connection waits for one is handed over unmade: at the start every connection takes its
/// first recipient at once, often each of a new variant, and those are then made side by side
/// on the connections instead of one after another here (bench "Latency, 16 conn").
///
/// A class because producer and consumer share the buffer behind a condition. Each side
/// sleeps only when it must and is woken in batches (the producer once half the window is
/// free), not once per recipient: a wake-up is a context switch.
public final class RecipientStream: Sequence, IteratorProtocol, @unchecked Sendable {
    /// The window when messages are made ahead: each holds a whole message (34 KB for the
    /// sample issue, 200 KB for a 60-event one), so the window is small; 32 still leaves the
    /// producer 16 messages to make while four connections send the other 16.
    public static let preparedCapacity = 32

    private let condition = NSCondition()
    private var buffer: [DeliveryRecipient] = []
    private var head = 0
    private var finished = false
    private let capacity: Int
    private var producerWaits = false
    private var consumersWaiting = 0
    /// Messages made ahead, by their recipient's place in the stream (`DeliveryRecipient.index`).
    private var prepared: [Int: RenderedMessage] = [:]
    /// The recipient whose message the producer is making now.
    private var making: Int?
    /// Connections waiting for that message (`prepared(for:)`).
    private var madeWaiters = 0

    /// Connections waiting for a recipient now (for tests).
    var waitingConsumers: Int { condition.withLock { consumersWaiting } }
    /// Messages made and not yet handed out (for tests).
    var heldMessages: Int { condition.withLock { prepared.count } }
    /// True while the producer waits for room in a full window, or once it has finished (for tests).
    var producerIsIdle: Bool { condition.withLock { producerWaits || finished } }

    /// Starts `produce` on a new thread; it calls `put` for each recipient, in order. With
    /// `prepare`, each recipient's message is made on that thread too (nil: none made, the
    /// connection renders it); the window is then `preparedCapacity` unless `capacity` is given.
    public init(
        capacity: Int? = nil, prepare: (@Sendable (DeliveryRecipient) -> RenderedMessage?)? = nil,
        produce: @escaping @Sendable (_ put: (DeliveryRecipient) -> Void) -> Void
    ) {
        self.capacity = Swift.max(1, capacity ?? (prepare == nil ? 512 : Self.preparedCapacity))
        let thread = Thread { [self] in
            Self.yieldToConnections()
            var produced = 0
            produce { recipient in
                var recipient = recipient
                recipient.index = produced
                produced += 1
                guard self.put(recipient, toMake: prepare != nil), let prepare else { return }
                // Made outside the lock: the connections keep taking recipients meanwhile.
                self.store(prepare(recipient), for: recipient.index)
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// How much nicer the producer's thread is than the rest of the process.
    static let producerNiceness: Int32 = 10

    /// Lowers the calling thread's priority by `producerNiceness`, so that a connection woken
    /// by its relay's reply or by the journal's flush gets a core at once instead of waiting
    /// for the making of a message ahead (bench "Send 10,000, 4 conn": on two cores, with the
    /// sink beside it, send ÷ libcurl floor 0.793 → 0.825 in one interleaved 8-run A/B). Only
    /// this thread: on Linux the nice value is a thread's, and `PRIO_PROCESS` with 0 names the
    /// calling thread. A producer that falls behind costs nothing but its head start: a
    /// connection makes a message nobody made ahead itself.
    static func yieldToConnections() {
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Swift.min(19, current + producerNiceness))
    }

    /// Adds `recipient`; true when the producer is to make its message now (`toMake`, and no
    /// connection is waiting for a recipient: one that is makes it itself).
    private func put(_ recipient: DeliveryRecipient, toMake: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity {
            producerWaits = true
            condition.wait()
        }
        if head > capacity {
            buffer.removeFirst(head)
            head = 0
        }
        buffer.append(recipient)
        // A message no connection asked for (its recipient was skipped: sent in an earlier
        // run, listed twice, withdrawn) is dropped once it is two windows behind; here, where
        // every recipient passes, made ahead or not.
        prepared.removeValue(forKey: recipient.index - 2 * capacity)
        let makeHere = toMake && consumersWaiting == 0
        // Marked under the same lock as the append, so a connection that takes this recipient
        // at once waits for its message instead of making it a second time.
        if makeHere { making = recipient.index }
        if consumersWaiting > 0 { condition.broadcast() }
        return makeHere
    }

    /// Keeps the message made for the recipient at `index` (nil: the producer made none).
    private func store(_ message: RenderedMessage?, for index: Int) {
        condition.lock()
        defer { condition.unlock() }
        making = nil
        if let message { prepared[index] = message }
        // Only a connection waiting for this message is woken, not those waiting for recipients.
        if madeWaiters > 0 { condition.broadcast() }
    }

    /// The next recipient, waiting for the producer; nil when it has finished.
    public func next() -> DeliveryRecipient? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && !finished {
            consumersWaiting += 1
            condition.wait()
            consumersWaiting -= 1
        }
        guard head < buffer.count else { return nil }
        let recipient = buffer[head]
        head += 1
        if producerWaits && buffer.count - head <= capacity / 2 {
            producerWaits = false
            condition.broadcast()
        }
        return recipient
    }

    /// The message made ahead for `recipient`, handed out once; nil when there is none (then
    /// the caller renders it: the bytes are the same, see `SendPlan.rendered`). With
    /// `waiting: false`, nil too while the producer is still making it.
    public func prepared(for recipient: DeliveryRecipient, waiting: Bool = true) -> RenderedMessage? {
        condition.lock()
        defer { condition.unlock() }
        while making == recipient.index {
            guard waiting else { return nil }
            madeWaiters += 1
            condition.wait()
            madeWaiters -= 1
        }
        guard let message = prepared[recipient.index], message.envelope.to.key == recipient.key else { return nil }
        prepared.removeValue(forKey: recipient.index)
        return message
    }
}
