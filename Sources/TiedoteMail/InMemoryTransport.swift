import Foundation

/// Where `InMemoryTransport`s deliver: a thread-safe store of messages, with scripted server
/// replies per recipient, for tests (like swift-log's `InMemoryLogging`). Unchecked Sendable:
/// its lock guards the messages and the scripted replies.
public final class InMemoryMailbox: @unchecked Sendable {
    /// One accepted message.
    public struct Message: Sendable, Hashable {
        /// Its envelope.
        public var envelope: Envelope
        /// Its bytes as handed over.
        public var bytes: [UInt8]
    }

    private let lock = NSLock()
    private var stored: [Message] = []
    private var scripts: [String: [DeliveryOutcome]] = [:]
    private var attempts = 0

    /// Creates an empty mailbox.
    public init() {}

    /// The next sends to `address` get `outcomes` in order (then normal delivery).
    public func script(_ address: String, _ outcomes: [DeliveryOutcome]) {
        lock.withLock { scripts[address.lowercased(), default: []].append(contentsOf: outcomes) }
    }

    /// Every message accepted so far, in order.
    public var messages: [Message] { lock.withLock { stored } }

    /// How many sends were attempted, accepted or not.
    public var attemptCount: Int { lock.withLock { attempts } }

    /// Records a send attempt and returns its outcome.
    func accept(_ bytes: [UInt8], _ envelope: Envelope) -> DeliveryOutcome {
        lock.withLock {
            attempts += 1
            let key = envelope.to.key
            if var script = scripts[key], !script.isEmpty {
                let outcome = script.removeFirst()
                scripts[key] = script
                if case .sent = outcome { stored.append(Message(envelope: envelope, bytes: bytes)) }
                return outcome
            }
            stored.append(Message(envelope: envelope, bytes: bytes))
            return .sent(code: 250, text: "2.0.0 Ok: queued in memory")
        }
    }
}

/// A transport that keeps messages in an `InMemoryMailbox` instead of sending them.
public final class InMemoryTransport: Transport {
    /// Where messages go.
    public let mailbox: InMemoryMailbox

    /// Creates a transport delivering into `mailbox`.
    public init(mailbox: InMemoryMailbox) { self.mailbox = mailbox }

    /// Stores the message (or plays the scripted reply).
    public func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        try beforeCommit()
        return mailbox.accept(message, envelope)
    }
}
