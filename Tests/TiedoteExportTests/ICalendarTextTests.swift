import Testing
@testable import TiedoteExport

struct ICalendarTextTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("rivi 1\nrivi 2", "rivi 1\\nrivi 2"),
        ("rivi 1\r\nrivi 2", "rivi 1\\nrivi 2"),
        ("Kello: 14.00", "Kello: 14.00"),
        ("tab\there", "tab\there"),
        ("bell\u{07}", "bell"),
    ])
    func escapesText(input: String, expected: String) {
        #expect(ICalendarText.escape(input) == expected)
    }

    /// Every physical line fits in 75 octets and unfolding gives the line back.
    @Test(arguments: [
        "SUMMARY:" + String(repeating: "ä", count: 80),
        "SUMMARY:Tuottajakahvit 🎭☕️ Jyväskylässä – resilienssi, palautuminen ja jaksaminen 👩‍👩‍👧 työssä",
        "SUMMARY:" + String(repeating: "a", count: 74),
        "SUMMARY:" + String(repeating: "🎉", count: 40),
        "X:" + String(repeating: "€", count: 100),
    ])
    func foldsAtSeventyFiveOctets(line: String) {
        let folded = Array(ICalendarText.fold(line).utf8)
        let physical = Bytes.split(folded, on: [13, 10])
        for part in physical {
            #expect(part.count <= 75)
            #expect(String(validating: part, as: UTF8.self) != nil)
        }
        for part in physical.dropFirst() { #expect(part.first == 32) }
        #expect(Bytes.split(folded, on: [13, 10, 32]).joined().elementsEqual(line.utf8))
    }

    @Test func shortLineIsNotFolded() {
        let line = "SUMMARY:" + String(repeating: "a", count: 67)
        #expect(line.utf8.count == 75)
        #expect(ICalendarText.fold(line) == line)
    }

    @Test(arguments: [
        (0, "19700101T000000Z"),
        (1_796_126_400, "20261201T120000Z"),
        (1_798_761_599, "20261231T235959Z"),
    ])
    func formatsUTC(instant: Int, expected: String) {
        #expect(ICalendarText.utc(instant) == expected)
    }

    @Test(arguments: [("Helsinki", "Helsinki"), ("a:b", "\"a:b\""), ("x\"y", "xy")])
    func quotesParameterValues(input: String, expected: String) {
        #expect(ICalendarText.parameterValue(input) == expected)
    }
}

/// Byte-level helpers: a fold may fall between a base character and a combining mark, where
/// String's Character-level searching would not see the break.
enum Bytes {
    static func split(_ bytes: [UInt8], on separator: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index...].starts(with: separator) {
                parts.append([])
                index += separator.count
            } else {
                parts[parts.count - 1].append(bytes[index])
                index += 1
            }
        }
        return parts
    }
}
