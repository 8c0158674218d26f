import TiedoteCore

/// The RFC 5322 Date header text, written from the Unix time by hand so that neither the
/// machine's locale nor its time-zone files can change it (`Tue, 01 Dec 2026 09:30:00 +0200`).
enum MailDate {
    private static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Appends the date of `instant` (Unix seconds) in Helsinki time.
    static func append(_ instant: Int, to out: inout [UInt8]) {
        let offset = Helsinki.offset(at: instant)
        let local = instant + offset
        let dayNumber = Int((Double(local) / 86_400).rounded(.down))
        let seconds = local - dayNumber * 86_400
        let date = LocalDate(daysSinceEpoch: dayNumber)
        out.append(contentsOf: days[date.weekday - 1].utf8)
        out.append(contentsOf: ", ".utf8)
        two(date.day, &out)
        out.append(32)
        out.append(contentsOf: months[date.month - 1].utf8)
        out.append(32)
        four(date.year, &out)
        out.append(32)
        two(seconds / 3600, &out)
        out.append(UInt8(ascii: ":"))
        two(seconds / 60 % 60, &out)
        out.append(UInt8(ascii: ":"))
        two(seconds % 60, &out)
        out.append(contentsOf: (offset < 0 ? " -" : " +").utf8)
        let minutes = abs(offset) / 60
        two(minutes / 60, &out)
        two(minutes % 60, &out)
    }

    /// The date as text.
    static func text(_ instant: Int) -> String {
        var out: [UInt8] = []
        append(instant, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func two(_ value: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(value / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func four(_ value: Int, _ out: inout [UInt8]) {
        two(value / 100, &out)
        two(value % 100, &out)
    }
}
