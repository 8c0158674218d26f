/// A 128-bit digest of an address key, for telling addresses apart in very long lists
/// without keeping every address string: two differently seeded 64-bit hashes, so two
/// different addresses share a digest with a probability of about 2⁻¹²⁸ per pair.
public struct AddressDigest: Hashable, Sendable {
    // Internal, not private: `AddressDigestTable` keeps the two words in flat arrays.
    let first: Int
    let second: Int

    /// The digest of `key` (compare keys, not raw addresses: `Subscriber.key`).
    public init(_ key: String) {
        var one = Hasher()
        one.combine(0x5449_4544)
        one.combine(key)
        var two = Hasher()
        two.combine(0x4f54_4500)
        two.combine(key)
        first = one.finalize()
        second = two.finalize()
    }
}
