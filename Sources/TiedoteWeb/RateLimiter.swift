import Foundation

/// A sliding-window counter per key (a client's address): at most `limit` events in `window`
/// seconds. A class because every request shares it; unchecked Sendable: `lock` guards
/// `events` and `lastSweep`.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [String: [Int]] = [:]
    private let limit: Int
    private let window: Int
    private var lastSweep = 0

    /// Allows `limit` events per `window` seconds for each key.
    init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }

    /// Records an event for `key` at `now` and says whether it is within the limit; a refused
    /// event is not counted, so a client that waits gets in again.
    func allow(_ key: String, now: Int) -> Bool {
        lock.withLock {
            sweep(now)
            var times = events[key, default: []].filter { $0 > now - window }
            guard times.count < limit else {
                events[key] = times
                return false
            }
            times.append(now)
            events[key] = times
            return true
        }
    }

    /// Forgets keys whose events are all past the window, at most once a window, so a flood of
    /// distinct addresses cannot grow the table without bound.
    private func sweep(_ now: Int) {
        guard now - lastSweep >= window else { return }
        lastSweep = now
        events = events.filter { _, times in times.contains { $0 > now - window } }
    }
}
