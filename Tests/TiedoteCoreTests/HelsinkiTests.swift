import Testing
import Foundation
@testable import TiedoteCore

struct HelsinkiTests {
    /// (local wall-clock time, expected ISO 8601 with offset), around both changes of 2026/2027.
    @Test(arguments: [
        ("2026-12-02T14:00", "2026-12-02T14:00:00+02:00"),
        ("2026-07-01T12:00", "2026-07-01T12:00:00+03:00"),
        ("2027-03-28T02:59", "2027-03-28T02:59:00+02:00"),
        ("2027-03-28T04:00", "2027-03-28T04:00:00+03:00"),
        ("2026-10-25T02:00", "2026-10-25T02:00:00+03:00"),
        ("2026-10-25T03:30", "2026-10-25T03:30:00+03:00"),  // repeated hour: first occurrence
        ("2026-10-25T04:00", "2026-10-25T04:00:00+02:00"),
    ])
    func offsets(_ local: String, _ expected: String) throws {
        let value = try #require(LocalDateTime(iso: local))
        let time = try #require(value.time)
        #expect(Helsinki.iso8601(value.date, time) == expected)
    }

    @Test func lastSundays() {
        #expect(Helsinki.lastSunday(month: 3, year: 2027).description == "2027-03-28")
        #expect(Helsinki.lastSunday(month: 10, year: 2026).description == "2026-10-25")
        #expect(Helsinki.lastSunday(month: 3, year: 2026).description == "2026-03-29")
    }

    @Test func instantRoundTrip() throws {
        // 2026-12-02 14:00 Helsinki is 12:00 UTC.
        let date = try #require(LocalDate(iso: "2026-12-02"))
        let time = try #require(LocalTime(hour: 14, minute: 0))
        let instant = Helsinki.instant(date, time)
        #expect(instant == 1_796_212_800)
        let back = Helsinki.local(at: instant)
        #expect(back.date == date && back.time == time && back.offset == 7200)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026-1-1"])
    func invalidDates(_ text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test func daysRoundTrip() throws {
        for days in stride(from: -1000, through: 30000, by: 97) {
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(try #require(LocalDate(iso: "2024-02-29")).adding(days: 1).description == "2024-03-01")
    }
}

/// The hand-written rule against the machine's tz database (Foundation's `TimeZone`), hour by
/// hour over the years the rule is claimed for: if Finland's rules ever change, this fails.
struct HelsinkiAgainstTZDataTests {
    static let years = 1996...2037

    private static var zone: TimeZone? { TimeZone(identifier: "Europe/Helsinki") }

    @Test func everyHourHasTheTZDataOffset() throws {
        let zone = try #require(Self.zone)
        let first = Helsinki.instant(LocalDate(unchecked: Self.years.lowerBound, 1, 1), .midnight)
        let last = Helsinki.instant(LocalDate(unchecked: Self.years.upperBound, 12, 31), .midnight)
        var mismatches: [String] = []
        for instant in stride(from: first, through: last, by: 3600) {
            let expected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
            if Helsinki.offset(at: instant) != expected, mismatches.count < 5 { mismatches.append("\(instant)") }
        }
        #expect(mismatches.isEmpty, "instants whose offset differs from tzdata: \(mismatches)")
    }

    /// Local wall-clock times to instants, including the spring gap (moved forward by an
    /// hour, as Foundation does) and the autumn repeat (the first, daylight occurrence).
    @Test func localTimesAroundEveryChangeMatchTZData() throws {
        let zone = try #require(Self.zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        for year in Self.years {
            for change in [Helsinki.daylightBegins, Helsinki.daylightEnds] {
                let day = Helsinki.lastSunday(month: change.month, year: year)
                for minutes in stride(from: 0, to: 6 * 60, by: 30) {
                    let time = try #require(LocalTime(hour: minutes / 60, minute: minutes % 60))
                    let components = DateComponents(
                        year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute)
                    let date = try #require(calendar.date(from: components))
                    #expect(
                        Helsinki.instant(day, time) == Int(date.timeIntervalSince1970),
                        "\(day) \(time) in \(year)")
                }
            }
        }
    }

    @Test func bothChangesFallOnTheTZDataHour() throws {
        let zone = try #require(Self.zone)
        for year in Self.years {
            for change in [Helsinki.daylightBegins, Helsinki.daylightEnds] {
                let day = Helsinki.lastSunday(month: change.month, year: year)
                let at = day.daysSinceEpoch * 86_400 + Helsinki.changeHourUTC * 3600
                let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(at - 1)))
                let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(at)))
                #expect(before == change.offsetFrom && after == change.offsetTo, "\(day)")
            }
        }
    }
}
