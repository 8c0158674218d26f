import ArgumentParser
import TiedoteCore

/// The days a command's `--month` or `--from`/`--to` choose (nil: every event).
enum EventPeriod {
    /// The first and last day asked for, or nil for all events.
    static func parse(month: String?, from: String?, to: String?) throws -> (first: LocalDate, last: LocalDate)? {
        if month != nil && (from != nil || to != nil) {
            throw ValidationError("give either --month or --from/--to, not both")
        }
        if let month {
            guard let value = YearMonth(iso: month) else { throw ValidationError("--month must be written YYYY-MM, like 2026-12") }
            return (value.firstDay, value.lastDay)
        }
        guard from != nil || to != nil else { return nil }
        func day(_ text: String?, _ option: String, default fallback: LocalDate) throws -> LocalDate {
            guard let text else { return fallback }
            guard let date = LocalDate(iso: text) else {
                throw ValidationError("--\(option) must be a date written YYYY-MM-DD, like 2026-12-01")
            }
            return date
        }
        // An open end reaches the first or last day a LocalDate holds.
        let first = try day(from, "from", default: LocalDate(daysSinceEpoch: -719_162))
        let last = try day(to, "to", default: LocalDate(daysSinceEpoch: 2_932_896))
        guard first <= last else { throw ValidationError("--from (\(first)) is after --to (\(last))") }
        return (first, last)
    }
}

/// `--month` or `--from`/`--to`, as `export` and `publish` take them.
struct PeriodOptions: ParsableArguments {
    @Option(name: .long, help: "Only events that touch this month, YYYY-MM.")
    var month: String?

    @Option(name: .long, help: "Only events that touch this day or later, YYYY-MM-DD.")
    var from: String?

    @Option(name: .long, help: "Only events that touch this day or earlier, YYYY-MM-DD.")
    var to: String?

    /// The first and last day asked for, or nil for all events.
    func days() throws -> (first: LocalDate, last: LocalDate)? {
        try EventPeriod.parse(month: month, from: from, to: to)
    }
}
