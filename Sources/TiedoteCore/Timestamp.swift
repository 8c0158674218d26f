import Foundation

/// UTC timestamps as journals, suppression rows and calendars write them.
public enum Timestamp {
    /// A Unix instant's UTC date and time of day.
    public struct UTC: Sendable, Hashable {
        /// The UTC date.
        public var date: LocalDate
        /// Hour, 0–23.
        public var hour: Int
        /// Minute, 0–59.
        public var minute: Int
        /// Second, 0–59.
        public var second: Int
    }

    /// The UTC date and time of `seconds` since the Unix epoch.
    public static func utc(_ seconds: Int) -> UTC {
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let rest = seconds - days * 86_400
        return UTC(date: LocalDate(daysSinceEpoch: days), hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    /// `2026-11-28T23:59:01Z`.
    public static func iso8601UTC(seconds: Int) -> String {
        let time = utc(seconds)
        return "\(time.date)T\(LocalDate.pad(time.hour, 2)):\(LocalDate.pad(time.minute, 2)):\(LocalDate.pad(time.second, 2))Z"
    }

    /// `2026-11-28T23:59:01Z`.
    public static func iso8601UTC(_ date: Date) -> String {
        iso8601UTC(seconds: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The instant of `2026-11-28T23:59:01Z`; nil for anything else.
    public static func parseISO8601UTC(_ text: some StringProtocol) -> Int? {
        guard text.count == 20, text.hasSuffix("Z") else { return nil }
        let parts = text.dropLast().split(separator: "T")
        guard parts.count == 2, let days = LocalDate(iso: parts[0])?.daysSinceEpoch else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second)
        else { return nil }
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }
}
