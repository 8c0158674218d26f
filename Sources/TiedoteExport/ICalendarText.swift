import TiedoteCore

/// RFC 5545 content lines: TEXT escaping, value formats and folding at 75 octets.
public enum ICalendarText {
    /// The longest line in octets, CRLF not counted (RFC 5545 §3.1).
    public static let lineLimit = 75

    /// The line end iCalendar requires everywhere.
    public static let lineEnd = "\r\n"

    /// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` and newlines become `\\` `\;` `\,`
    /// `\n`; any CR is dropped so that CRLF in the source ends up as one `\n`.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.replacingCRLF.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                // Other control characters are not allowed in a content line at all.
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds one unfolded content line into lines of at most 75 octets each, joined by CRLF
    /// and a space; a break never falls inside a UTF-8 sequence. No final CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > lineLimit {
                out += lineEnd + " "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }

    /// A parameter value, quoted when it holds `:` `;` or `,` (RFC 5545 §3.2); `"` is not
    /// allowed in a parameter value and is dropped.
    public static func parameterValue(_ value: String) -> String {
        let clean = value.filter { $0 != "\"" && !$0.isNewline }
        return clean.contains(where: { ":;,".contains($0) }) ? "\"\(clean)\"" : clean
    }

    /// `YYYYMMDDTHHMMSS`, a local time to go with a `TZID` parameter.
    public static func localDateTime(_ date: LocalDate, _ time: LocalTime) -> String {
        Self.date(date) + "T" + LocalDate.pad(time.hour, 2) + LocalDate.pad(time.minute, 2) + "00"
    }

    /// `YYYYMMDD`.
    public static func date(_ date: LocalDate) -> String {
        LocalDate.pad(date.year, 4) + LocalDate.pad(date.month, 2) + LocalDate.pad(date.day, 2)
    }

    /// `YYYYMMDDTHHMMSSZ` for a Unix instant (seconds, UTC).
    public static func utc(_ instant: Int) -> String {
        let time = Timestamp.utc(instant)
        return Self.date(time.date) + "T" + LocalDate.pad(time.hour, 2) + LocalDate.pad(time.minute, 2) + LocalDate.pad(time.second, 2) + "Z"
    }
}
