import Testing
@testable import TiedoteCore

/// The flat digest table that finds repeated addresses in long lists.
struct AddressDigestTableTests {
    @Test func newDigestsGoInAndARepeatGivesTheFirstValue() {
        var table = AddressDigestTable()
        #expect(table.insert(AddressDigest("a@example.fi"), value: 2) == nil)
        #expect(table.insert(AddressDigest("b@example.fi"), value: 3) == nil)
        #expect(table.insert(AddressDigest("a@example.fi"), value: 9) == 2)
        #expect(table.count == 2)
        #expect(table.contains(AddressDigest("b@example.fi")))
        #expect(!table.contains(AddressDigest("c@example.fi")))
    }

    /// From the smallest table through many growths: every digest kept with its own value.
    @Test func growingKeepsEveryDigestAndValue() {
        var table = AddressDigestTable()
        for index in 0..<40_000 {
            #expect(table.insert(AddressDigest("r\(index)@example.fi"), value: index) == nil)
        }
        #expect(table.count == 40_000)
        var wrong = 0
        for index in 0..<40_000 where table.insert(AddressDigest("r\(index)@example.fi"), value: 0) != index {
            wrong += 1
        }
        #expect(wrong == 0)
        #expect(!table.contains(AddressDigest("r40000@example.fi")))
    }

    /// Sized ahead for a million rows, it takes 1.25 million slots of 20 bytes (25 MB), where a
    /// `[AddressDigest: Int]` takes 2²¹ buckets of 24 bytes (50 MB) and doubles into them.
    @Test func reservingForAMillionTakesAQuarterMoreSlots() {
        var table = AddressDigestTable()
        table.insert(AddressDigest("first@example.fi"), value: 2)
        table.reserve(1_000_000)
        #expect(table.capacity <= 1_250_001)
        #expect(table.capacity * AddressDigestTable.bytesPerSlot <= 25_000_020)
        #expect(table.insert(AddressDigest("first@example.fi"), value: 5) == 2)
    }
}
