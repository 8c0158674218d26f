import Foundation

/// Something made once per variant of a newsletter (its pieces; a send's encoded pieces),
/// shared by the threads of a send.
///
/// A class because the cache is shared state behind a lock. An optional `Value` keeps its
/// nil results too: a variant that must be rendered in full is tried once.
public final class VariantCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Newsletter.Variant: Value] = [:]

    /// An empty cache.
    public init() {}

    /// The variant's value, made with `make` the first time (outside the lock, so a slow
    /// first render does not stall other variants).
    public func value(for variant: Newsletter.Variant, make: () throws -> Value) rethrows -> Value {
        lock.lock()
        let cached = entries[variant]
        lock.unlock()
        if let cached { return cached }
        let made = try make()
        lock.lock()
        entries[variant] = made
        lock.unlock()
        return made
    }
}
