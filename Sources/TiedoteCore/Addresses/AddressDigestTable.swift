/// A set of address digests that keeps one small number (a line) with each, in three flat
/// arrays sized ahead for the expected count: 20 bytes a slot at most 80% full, where a
/// `[AddressDigest: Int]` takes 24 bytes a slot in a power-of-two table at most 75% full and
/// doubles it while the old one is still held (a million-row list: 25 MB instead of 50–75 MB).
///
/// Open addressing with linear probing; the home slot is the digest's first word scaled to the
/// table's length (any length, not only powers of two). A slot is empty while its stored value
/// is 0: values are kept plus one.
public struct AddressDigestTable: Sendable {
    private var firsts: [Int] = []
    private var seconds: [Int] = []
    private var values: [UInt32] = []
    /// How many digests the table holds.
    public private(set) var count = 0
    /// How many slots are allocated (for tests).
    var capacity: Int { values.count }
    /// Bytes a slot takes: two words of digest and the value (for tests).
    static let bytesPerSlot = 2 * MemoryLayout<Int>.size + MemoryLayout<UInt32>.size

    /// An empty table with room for `expected` digests before it has to grow.
    public init(expected: Int = 0) {
        allocate(Self.slots(for: expected))
    }

    /// Slots for `count` digests at most 80% full.
    private static func slots(for count: Int) -> Int {
        Swift.max(16, count + count / 4 + 1)
    }

    /// Room for `expected` digests in all, moved into a table of that size now (cheap while
    /// the table is still small; a list reader calls it once it can estimate its rows).
    public mutating func reserve(_ expected: Int) {
        let wanted = Self.slots(for: expected)
        if wanted > values.count { rehash(into: wanted) }
    }

    /// Adds `digest` with `value` (0 ... UInt32.max - 1) when it is new and returns nil; when
    /// an equal digest is there already, leaves the table as it is and returns that one's value.
    @discardableResult
    public mutating func insert(_ digest: AddressDigest, value: Int = 0) -> Int? {
        if (count + 1) * 5 > values.count * 4 {
            rehash(into: values.count + values.count / 2)
        }
        var slot = home(digest.first)
        while values[slot] != 0 {
            if firsts[slot] == digest.first && seconds[slot] == digest.second {
                return Int(values[slot]) - 1
            }
            slot = slot + 1 == values.count ? 0 : slot + 1
        }
        firsts[slot] = digest.first
        seconds[slot] = digest.second
        values[slot] = UInt32(clamping: value + 1)
        count += 1
        return nil
    }

    /// True when an equal digest is in the table (for tests: readers insert and look at the answer).
    func contains(_ digest: AddressDigest) -> Bool {
        var slot = home(digest.first)
        while values[slot] != 0 {
            if firsts[slot] == digest.first && seconds[slot] == digest.second { return true }
            slot = slot + 1 == values.count ? 0 : slot + 1
        }
        return false
    }

    /// The slot a digest's probe starts at: its first word (already a uniform hash) mapped
    /// onto 0 ..< slots by multiplication, so the table's length can be anything.
    private func home(_ first: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(UInt(bitPattern: first)).multipliedFullWidth(by: UInt64(values.count)).high)
    }

    private mutating func allocate(_ slots: Int) {
        firsts = Array(repeating: 0, count: slots)
        seconds = Array(repeating: 0, count: slots)
        values = Array(repeating: 0, count: slots)
        count = 0
    }

    private mutating func rehash(into slots: Int) {
        let (oldFirsts, oldSeconds, oldValues) = (firsts, seconds, values)
        // Free the old arrays' references before the new ones fill: `allocate` replaces them.
        allocate(slots)
        for index in oldValues.indices where oldValues[index] != 0 {
            var slot = home(oldFirsts[index])
            while values[slot] != 0 { slot = slot + 1 == values.count ? 0 : slot + 1 }
            firsts[slot] = oldFirsts[index]
            seconds[slot] = oldSeconds[index]
            values[slot] = oldValues[index]
            count += 1
        }
    }
}
