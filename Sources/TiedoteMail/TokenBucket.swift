import Foundation

/// A token bucket: at most `perMinute` messages a minute, with a burst of at most one per
/// connection.
///
/// Unchecked Sendable: shared by the connections; `lock` guards `tokens`, `last` and the rate.
final class TokenBucket: @unchecked Sendable {
    private let lock = NSLock()
    private var perSecond: Double
    private var capacity: Double
    private let burst: Int
    private var tokens: Double
    private var last: Double

    init(perMinute: Int, burst: Int) {
        self.burst = burst
        perSecond = Double(perMinute) / 60
        capacity = max(1, min(Double(burst), perSecond))
        tokens = capacity
        last = monotonicSeconds()
    }

    /// Takes one token, sleeping until it is there.
    func acquire() {
        let wait: Double = lock.withLock {
            let now = monotonicSeconds()
            tokens = min(capacity, tokens + (now - last) * perSecond)
            last = now
            tokens -= 1
            return tokens < 0 ? -tokens / perSecond : 0
        }
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }

    /// Changes the rate (a relay slowed down or raised back); tokens already earned stay.
    func setRate(perMinute: Int) {
        lock.withLock {
            let now = monotonicSeconds()
            tokens = min(capacity, tokens + (now - last) * perSecond)
            last = now
            perSecond = Double(max(1, perMinute)) / 60
            capacity = max(1, min(Double(burst), perSecond))
            tokens = min(tokens, capacity)
        }
    }
}
