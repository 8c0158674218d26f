/// Europe/Helsinki time, by the EU rule: UTC+2, and UTC+3 from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC.
///
/// The rule is computed here, not read from the machine's tz database, so output never
/// depends on the machine's time zone files or settings.
public enum Helsinki {
    /// Standard offset from UTC, in seconds (+02:00).
    public static let standardOffset = 2 * 3600
    /// Daylight-saving offset from UTC, in seconds (+03:00).
    public static let daylightOffset = 3 * 3600
    /// The hour (UTC) of both yearly changes, on the last Sunday of their month.
    public static let changeHourUTC = 1

    /// One yearly change of offset: the last Sunday of `month` at `changeHourUTC`.
    public struct Change: Sendable, Hashable {
        /// The month whose last Sunday it falls on.
        public var month: Int
        /// The offset before the change, in seconds.
        public var offsetFrom: Int
        /// The offset after the change, in seconds.
        public var offsetTo: Int
        /// The zone's abbreviation after the change.
        public var name: String

        /// The local wall-clock hour at which the change happens (before it takes effect).
        public var localHour: Int { changeHourUTC + offsetFrom / 3600 }
    }

    /// The rule itself: summer time from March, standard time from October. Everything else
    /// here (and the iCalendar `VTIMEZONE`) is derived from these two values.
    public static let daylightBegins = Change(month: 3, offsetFrom: standardOffset, offsetTo: daylightOffset, name: "EEST")
    /// The autumn change back to standard time.
    public static let daylightEnds = Change(month: 10, offsetFrom: daylightOffset, offsetTo: standardOffset, name: "EET")

    /// The last Sunday of `month` in `year`.
    public static func lastSunday(month: Int, year: Int) -> LocalDate {
        let last = LocalDate(unchecked: year, month, LocalDate.daysIn(month: month, year: year))
        return last.adding(days: -(last.weekday % 7))
    }

    /// Seconds since the Unix epoch of a UTC wall-clock value.
    static func epochSeconds(_ date: LocalDate, minutes: Int) -> Int {
        date.daysSinceEpoch * 86_400 + minutes * 60
    }

    /// Whether daylight-saving time is in force at `instant` (Unix seconds, UTC).
    public static func isDaylight(at instant: Int) -> Bool {
        let year = LocalDate(daysSinceEpoch: Int((Double(instant) / 86_400).rounded(.down))).year
        let begins = epochSeconds(lastSunday(month: daylightBegins.month, year: year), minutes: changeHourUTC * 60)
        let ends = epochSeconds(lastSunday(month: daylightEnds.month, year: year), minutes: changeHourUTC * 60)
        return instant >= begins && instant < ends
    }

    /// Offset from UTC in seconds at `instant`.
    public static func offset(at instant: Int) -> Int {
        isDaylight(at: instant) ? daylightOffset : standardOffset
    }

    /// Offset from UTC in seconds for a local wall-clock time.
    ///
    /// In the hour skipped in spring the standard offset is used (03:30 becomes 04:30 +03:00);
    /// in the hour repeated in autumn the first (daylight) occurrence wins, as iCalendar does.
    public static func offset(forLocal date: LocalDate, _ time: LocalTime) -> Int {
        let local = epochSeconds(date, minutes: time.minutes)
        let asDaylight = local - daylightOffset
        if isDaylight(at: asDaylight) { return daylightOffset }
        return standardOffset
    }

    /// The Unix instant (seconds, UTC) of a local wall-clock time.
    public static func instant(_ date: LocalDate, _ time: LocalTime) -> Int {
        epochSeconds(date, minutes: time.minutes) - offset(forLocal: date, time)
    }

    /// The local date and time at a Unix instant.
    public static func local(at instant: Int) -> (date: LocalDate, time: LocalTime, offset: Int) {
        let offset = offset(at: instant)
        let seconds = instant + offset
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let minutes = (seconds - days * 86_400) / 60
        return (LocalDate(daysSinceEpoch: days), LocalTime(unchecked: minutes / 60, minutes % 60), offset)
    }

    /// `+02:00` or `+03:00`.
    public static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return "\(sign)\(LocalDate.pad(minutes / 60, 2)):\(LocalDate.pad(minutes % 60, 2))"
    }

    /// ISO 8601 with the Helsinki offset: `2026-12-02T14:00:00+02:00`.
    public static func iso8601(_ date: LocalDate, _ time: LocalTime) -> String {
        "\(date)T\(time):00\(offsetText(offset(forLocal: date, time)))"
    }
}

extension LocalTime {
    /// 00:00.
    public static let midnight = LocalTime(unchecked: 0, 0)

    init(unchecked hour: Int, _ minute: Int) {
        self.hour = hour
        self.minute = minute
    }
}
