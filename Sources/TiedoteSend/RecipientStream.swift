import Foundation
import TiedoteMail

/// Recipients produced on a thread of their own and taken one at a time by the delivery
/// engine, with at most `capacity` waiting: a send holds a window of the list, never all of it.
///
/// With `prepare`, the producer also makes each recipient's message as it reads the row, so a
/// connection's cycle holds the SMTP dialogue and not the rendering; a connection takes the
/// message with `prepared(for:)`, or renders it itself when there is none (a retry, a
/// recipient the producer passed over, a message dropped unused).
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

    /// Starts `produce` on a new thread; it calls `put` for each recipient, in order. With
    /// `prepare`, each recipient's message is made on that thread too (nil: none made, the
    /// connection renders it); the window is then `preparedCapacity` unless `capacity` is given.
    public init(
        capacity: Int? = nil, prepare: (@Sendable (DeliveryRecipient) -> RenderedMessage?)? = nil,
        produce: @escaping @Sendable (_ put: (DeliveryRecipient) -> Void) -> Void
    ) {
        self.capacity = Swift.max(1, capacity ?? (prepare == nil ? 512 : Self.preparedCapacity))
        let thread = Thread { [self] in
            var produced = 0
            produce { recipient in
                var recipient = recipient
                recipient.index = produced
                produced += 1
                // Made before the lock is taken: the connections keep taking recipients meanwhile.
                self.put(recipient, message: prepare?(recipient))
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    private func put(_ recipient: DeliveryRecipient, message: RenderedMessage?) {
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
        if let message {
            prepared[recipient.index] = message
            // A message no connection asked for (its recipient was skipped: sent in an earlier
            // run, listed twice, withdrawn) is dropped once it is two windows behind.
            prepared.removeValue(forKey: recipient.index - 2 * capacity)
        }
        buffer.append(recipient)
        if consumersWaiting > 0 { condition.broadcast() }
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
    /// the caller renders it: the bytes are the same, see `SendPlan.rendered`).
    public func prepared(for recipient: DeliveryRecipient) -> RenderedMessage? {
        condition.lock()
        defer { condition.unlock() }
        guard let message = prepared[recipient.index], message.envelope.to.key == recipient.key else { return nil }
        prepared.removeValue(forKey: recipient.index)
        return message
    }
}
