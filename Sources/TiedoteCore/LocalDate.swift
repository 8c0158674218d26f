/// A calendar date with no time zone, as written in an event file (`2026-12-02`).
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Four-digit year.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of month, 1–31.
    public var day: Int

    /// Creates a date; returns nil when the day does not exist (`2026-02-30`).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// True in leap years of the Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// The date `count` days later (earlier when negative).
    public func adding(days count: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + count)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let index = (daysSinceEpoch + 3) % 7
        return (index < 0 ? index + 7 : index) + 1
    }

    /// The first day of this date's month.
    public var firstOfMonth: LocalDate { LocalDate(unchecked: year, month, 1) }

    /// The last day of this date's month.
    public var lastOfMonth: LocalDate {
        LocalDate(unchecked: year, month, LocalDate.daysIn(month: month, year: year))
    }

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `value` in decimal with leading zeros to `width` digits (`pad(7, 2)` is `07`).
    public static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A wall-clock time of day (`14:00`).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int

    /// Creates a time; nil when out of range.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM` (seconds `:00` allowed).
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 3 && parts[2] == "00"),
            parts[0].count == 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Minutes since midnight.
    public var minutes: Int { hour * 60 + minute }

    /// `HH:MM`.
    public var description: String { "\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2))" }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// A date with an optional time: no time means the whole day.
public struct LocalDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The calendar date.
    public var date: LocalDate
    /// The time of day, or nil for an all-day value.
    public var time: LocalTime?

    /// Creates a value.
    public init(date: LocalDate, time: LocalTime? = nil) {
        self.date = date
        self.time = time
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (a space may stand for `T`).
    public init?(iso text: some StringProtocol) {
        let text = String(text)
        if let separator = text.firstIndex(where: { $0 == "T" || $0 == " " }) {
            guard let date = LocalDate(iso: text[..<separator]),
                let time = LocalTime(iso: text[text.index(after: separator)...])
            else { return nil }
            self.init(date: date, time: time)
        } else {
            guard let date = LocalDate(iso: text) else { return nil }
            self.init(date: date)
        }
    }

    /// True when there is no time of day.
    public var isAllDay: Bool { time == nil }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    public var description: String {
        guard let time else { return date.description }
        return "\(date)T\(time)"
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        if lhs.date != rhs.date { return lhs.date < rhs.date }
        return (lhs.time?.minutes ?? -1) < (rhs.time?.minutes ?? -1)
    }
}

/// A calendar month (`2026-12`): what an issue covers.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Four-digit year.
    public var year: Int
    /// Month, 1–12.
    public var month: Int

    /// Creates a month; nil when out of range.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// The month `date` falls in.
    public init(_ date: LocalDate) {
        self.init(unchecked: date.year, date.month)
    }

    /// Parses `YYYY-MM`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `YYYY-MM`.
    public var description: String { "\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))" }

    /// The first day of the month.
    public var firstDay: LocalDate { LocalDate(unchecked: year, month, 1) }

    /// The last day of the month.
    public var lastDay: LocalDate { firstDay.lastOfMonth }

    /// The month `count` months later (earlier when negative).
    public func adding(months count: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + count
        return YearMonth(unchecked: index / 12, index % 12 + 1)
    }

    /// Whole months from `other` to self.
    public func months(since other: YearMonth) -> Int {
        (year * 12 + month) - (other.year * 12 + other.month)
    }

    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
