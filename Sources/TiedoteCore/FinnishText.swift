/// Finnish date, time and place text, as the newsletter and calendars print them.
///
/// Independent of the machine's locale and time zone: everything is computed from the event
/// file's local Helsinki values.
public enum FinnishText {
    /// Weekday abbreviations, Monday first.
    public static let weekdays = ["ma", "ti", "ke", "to", "pe", "la", "su"]

    /// Month names in the nominative ("joulukuu"), January first.
    public static let monthNames = [
        "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
        "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
    ]

    /// "joulukuu".
    public static func monthName(_ month: Int) -> String { monthNames[(month - 1) % 12] }

    /// "joulukuussa" (in December).
    public static func monthNameInessive(_ month: Int) -> String { monthName(month) + "ssa" }

    /// "joulukuun" (December's).
    public static func monthNameGenitive(_ month: Int) -> String { monthName(month) + "n" }

    /// "ke".
    public static func weekday(_ date: LocalDate) -> String { weekdays[date.weekday - 1] }

    /// "2.12.2026".
    public static func numeric(_ date: LocalDate) -> String { "\(date.day).\(date.month).\(date.year)" }

    /// "ke 2.12.2026".
    public static func date(_ date: LocalDate) -> String { "\(weekday(date)) \(numeric(date))" }

    /// "14.00".
    public static func clock(_ time: LocalTime) -> String { "\(time.hour).\(LocalDate.pad(time.minute, 2))" }

    /// The event's days: "ke 2.12.2026", "pe 4.–su 6.12.2026", "ma 30.11.–ti 1.12.2026",
    /// "to 31.12.2026–pe 1.1.2027".
    public static func date(_ event: Event) -> String {
        dateRange(event.start.date, event.lastDate)
    }

    /// A range of days, the shared parts written once.
    public static func dateRange(_ first: LocalDate, _ last: LocalDate) -> String {
        guard first != last else { return date(first) }
        let head: String
        if first.year != last.year {
            head = "\(weekday(first)) \(numeric(first))"
        } else if first.month != last.month {
            head = "\(weekday(first)) \(first.day).\(first.month)."
        } else {
            head = "\(weekday(first)) \(first.day)."
        }
        return "\(head)–\(date(last))"
    }

    /// The event's times: "klo 14.00–16.00", "klo 14.00", "" for all-day events, and for
    /// timed events over several days "pe klo 18.00 – su klo 16.00".
    public static func time(_ event: Event) -> String {
        guard let start = event.start.time else { return "" }
        guard let end = event.end, let endTime = end.time else { return "klo \(clock(start))" }
        if end.date == event.start.date { return "klo \(clock(start))–\(clock(endTime))" }
        return "\(weekday(event.start.date)) klo \(clock(start)) – \(weekday(end.date)) klo \(clock(endTime))"
    }

    /// Everything about when: "ke 2.12.2026 klo 14.00–16.00", "la 16.1.2027",
    /// "pe 4.12. klo 18.00 – su 6.12.2026 klo 16.00".
    public static func when(_ event: Event) -> String {
        guard let start = event.start.time else { return date(event) }
        if let end = event.end, end.date != event.start.date, let endTime = end.time {
            let first = event.start.date
            let head = first.year == end.date.year
                ? "\(weekday(first)) \(first.day).\(first.month)." : date(first)
            return "\(head) klo \(clock(start)) – \(date(end.date)) klo \(clock(endTime))"
        }
        return "\(date(event)) \(time(event))"
    }

    /// "Villa Rana, Jyväskylä"; for online events "Zoom (verkossa)".
    public static func place(_ event: Event) -> String {
        if event.municipality.isOnline { return "\(event.venue) (verkossa)" }
        return "\(event.venue), \(event.municipality.rawValue)"
    }

    /// "PERUTTU", "SIIRRETTY" or "".
    public static func status(_ status: Event.Status) -> String {
        switch status {
        case .scheduled: ""
        case .cancelled: "PERUTTU"
        case .postponed: "SIIRRETTY"
        }
    }
}
