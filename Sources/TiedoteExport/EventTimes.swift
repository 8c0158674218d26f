import TiedoteCore

/// When an event ends, the same in every export.
///
/// A timed event without an end ends at the next midnight, as Linked Events decides
/// (`events/serializers.py` `EventSerializer.validate`: no `end_time` → `utils.start_of_next_day`
/// of the start), so the calendar, the iCalendar feed and the web pages agree.
public enum EventTimes {
    /// The end as a local time: the given end, the next midnight for a timed event without
    /// one, or the last day (inclusive, no time) of an all-day event.
    public static func end(of event: Event) -> LocalDateTime {
        if event.isAllDay { return LocalDateTime(date: event.lastDate, time: nil) }
        if let end = event.end { return end }
        return LocalDateTime(date: event.start.date.adding(days: 1), time: .midnight)
    }

    /// The instant the event is over (Unix seconds): an all-day event at the midnight after
    /// its last day.
    public static func endInstant(of event: Event) -> Int {
        let end = end(of: event)
        guard let time = end.time else { return Helsinki.instant(end.date.adding(days: 1), .midnight) }
        return Helsinki.instant(end.date, time)
    }

    /// True when the event is over at `now` (Unix seconds).
    public static func isPast(_ event: Event, now: Int) -> Bool { endInstant(of: event) <= now }
}
