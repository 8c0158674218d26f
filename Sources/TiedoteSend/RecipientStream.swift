import Foundation
import TiedoteMail

/// Recipients produced on a thread of their own and taken one at a time by the delivery
/// engine, with at most `capacity` waiting: a send holds a window of the list, never all of it.
///
/// A class because producer and consumer share the buffer behind a condition. Each side
/// sleeps only when it must and is woken in batches (the producer once half the window is
/// free), not once per recipient: a wake-up is a context switch.
public final class RecipientStream: Sequence, IteratorProtocol, @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [DeliveryRecipient] = []
    private var head = 0
    private var finished = false
    private let capacity: Int
    private var producerWaits = false
    private var consumersWaiting = 0

    /// Starts `produce` on a new thread; it calls `put` for each recipient, in order.
    public init(capacity: Int = 512, produce: @escaping @Sendable (_ put: (DeliveryRecipient) -> Void) -> Void) {
        self.capacity = Swift.max(1, capacity)
        let thread = Thread { [self] in
            produce { recipient in self.put(recipient) }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    private func put(_ recipient: DeliveryRecipient) {
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
}
