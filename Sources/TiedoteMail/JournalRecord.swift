import TiedoteCore

/// Where one recipient of a send stands.
public enum RecipientState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Handed to a connection; no answer recorded yet.
    case attempting
    /// The server took it.
    case sent
    /// The server said try later (4xx), or the connection broke before the message was whole.
    case deferred
    /// The server refused it for good (5xx).
    case failed
    /// Was in flight when a run stopped, or the connection broke after the whole message
    /// went out: it may have arrived, so sending it again may make a duplicate.
    case uncertain
}

/// One line of a journal: one recipient's change of state.
public struct JournalRecord: Sendable, Hashable {
    /// When, in Unix seconds.
    public var time: Int
    /// The new state.
    public var state: RecipientState
    /// The recipient's key (the address lower-cased).
    public var key: String
    /// The server's reply code, 0 when there was none.
    public var code: Int
    /// The message's Message-ID.
    public var messageID: String
    /// The server's reply text or what went wrong.
    public var text: String
    /// The relay that took the message (`Settings.SMTP.displayName`); empty when none (the
    /// outbox, `--to`, a journal from before relays were named).
    public var relay: String

    /// Creates a record.
    public init(
        time: Int, state: RecipientState, key: String, code: Int = 0, messageID: String = "", text: String = "",
        relay: String = ""
    ) {
        self.time = time
        self.state = state
        self.key = key
        self.code = code
        self.messageID = messageID
        self.text = text
        self.relay = relay
    }

    /// The record as one journal line with its `\n`: time, state, key, code, Message-ID, text
    /// and relay, tab-separated; tabs and line breaks in free text become spaces so that one
    /// record is always one line.
    ///
    /// Bytes appended straight into one buffer (no String per field): two lines a message on a
    /// connection's thread (`JournalWriteTests` checks it against `plainLine`, the plain path).
    func line() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(80 + key.utf8.count + messageID.utf8.count + text.utf8.count + relay.utf8.count)
        let utc = Timestamp.utc(time)
        if (0...9999).contains(utc.date.year) {
            Self.digits(utc.date.year, 4, &out)
            out.append(UInt8(ascii: "-"))
            Self.digits(utc.date.month, 2, &out)
            out.append(UInt8(ascii: "-"))
            Self.digits(utc.date.day, 2, &out)
            out.append(UInt8(ascii: "T"))
            Self.digits(utc.hour, 2, &out)
            out.append(UInt8(ascii: ":"))
            Self.digits(utc.minute, 2, &out)
            out.append(UInt8(ascii: ":"))
            Self.digits(utc.second, 2, &out)
            out.append(UInt8(ascii: "Z"))
        } else {
            out.append(contentsOf: Timestamp.iso8601UTC(seconds: time).utf8)
        }
        out.append(UInt8(ascii: "\t"))
        out.append(contentsOf: state.rawValue.utf8)
        out.append(UInt8(ascii: "\t"))
        Self.appendClean(key, &out)
        out.append(UInt8(ascii: "\t"))
        if code >= 0 { Self.digits(code, 1, &out) } else { out.append(contentsOf: String(code).utf8) }
        out.append(UInt8(ascii: "\t"))
        Self.appendClean(messageID, &out)
        out.append(UInt8(ascii: "\t"))
        Self.appendClean(text, &out)
        out.append(UInt8(ascii: "\t"))
        Self.appendClean(relay, &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// The same line made field by field as Strings: the reference `line()` must equal.
    func plainLine() -> [UInt8] {
        var out: [UInt8] = Array(Timestamp.iso8601UTC(seconds: time).utf8)
        for field in [state.rawValue, Self.clean(key), String(code), Self.clean(messageID), Self.clean(text), Self.clean(relay)] {
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: field.utf8)
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// `value` (not negative) in decimal, zero-padded to `width` digits.
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        var count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(count, width) { out.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `text`'s bytes with tabs and line breaks as spaces (a CR LF pair becomes one space).
    private static func appendClean(_ text: String, _ out: inout [UInt8]) {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(contentsOf: clean(text).utf8)
    }

    /// Parses a line without its `\n`; nil when it is damaged. A line of six fields (written
    /// before relays were named) has no relay.
    init?(line: Substring) {
        let fields = line.split(separator: "\t", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count == 6 || fields.count == 7, let time = Timestamp.parseISO8601UTC(fields[0]),
            let state = RecipientState(rawValue: String(fields[1])), !fields[2].isEmpty,
            let code = Int(fields[3]),
            fields.count == 6 || !fields[6].contains("\t")
        else { return nil }
        self.init(time: time, state: state, key: String(fields[2]), code: code, messageID: String(fields[4]), text: String(fields[5]),
            relay: fields.count == 7 ? String(fields[6]) : "")
    }

    private static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 }) else { return text }
        return String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
