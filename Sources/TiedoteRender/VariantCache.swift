import Foundation

/// The prepared variants of one newsletter, shared by the threads of a send.
///
/// A class because the cache is shared state behind a lock; nil entries remember variants
/// that must always be rendered in full.
final class VariantCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [PersonalisedPieces.Variant: PersonalisedPieces?] = [:]

    /// The variant's pieces, preparing them with `make` the first time (outside the lock,
    /// so a slow first render does not stall other variants).
    func pieces(
        for variant: PersonalisedPieces.Variant, make: () throws -> PersonalisedPieces?
    ) throws -> PersonalisedPieces? {
        lock.lock()
        let cached = entries[variant]
        lock.unlock()
        if let cached { return cached }
        let made = try make()
        lock.lock()
        entries[variant] = .some(made)
        lock.unlock()
        return made
    }
}
