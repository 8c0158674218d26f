import Foundation

/// One recipient's message being made on another thread while its connection opens and sends
/// the envelope (see `Delivery.envelope`): the relay's round trips hide the making.
///
/// Unchecked Sendable: `condition` guards `result`, which the making sets once and the
/// connection's thread reads.
final class MessageInMaking: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<RenderedMessage, any Error>?

    /// Starts making `recipient`'s message with `render`, on a global queue: as many at once
    /// as the machine has cores, however many connections wait.
    init(_ recipient: DeliveryRecipient, render: @escaping @Sendable (DeliveryRecipient) throws -> RenderedMessage) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let made = Result { try render(recipient) }
            condition.withLock {
                result = made
                condition.broadcast()
            }
        }
    }

    /// The message's bytes once made; throws what making it threw, or when it was made for
    /// another envelope than the one already sent (so it is never taken).
    func bytes(for envelope: Envelope) throws -> [UInt8] {
        let made = condition.withLock {
            while result == nil { condition.wait() }
            return result
        }
        guard let message = try made?.get() else { throw MailError(.configuration, "no message was made for \(envelope.to)") }
        guard message.envelope == envelope else {
            throw MailError(.configuration,
                "the message for \(envelope.to) was made for the envelope \(message.envelope.from) → \(message.envelope.to), not the one sent")
        }
        return message.bytes
    }
}
