import TiedoteCore
import Foundation

/// The strict format of `Lists/NAME.csv`: UTF-8, `,`-separated, a header of the canonical
/// column names (`Subscriber.columns`, any order, `email` required), one valid row per
/// subscriber. Spreadsheets in other shapes come in through `tiedote lists import`.
public enum ListFile {
    /// Reads a list file's bytes, handing each valid subscriber to `body` in file order.
    ///
    /// Problems in the header stop reading at once; problems in rows are collected, those rows
    /// are skipped, and all are thrown together as `Diagnostics` after the last row.
    public static func read(_ data: Data, path: String, _ body: (Subscriber) throws -> Void) throws {
        var unread: Data? = data
        try read(path: path, chunks: { defer { unread = nil }; return unread }, body)
    }

    /// Reads a list file from `chunks`, called until it returns nil or no bytes, so only one
    /// chunk of the file is in memory at a time.
    ///
    /// - Parameters:
    ///   - expectedBytes: the file's length when known: the duplicate table is sized once for
    ///     the rows it will hold (estimated from the first chunk), instead of doubling.
    ///   - checkingDuplicates: false for a second read of a list already checked, whose reader
    ///     skips repeats itself (a send's stream): no table is kept and a repeat is handed over.
    static func read(
        path: String, expectedBytes: Int? = nil, checkingDuplicates: Bool = true,
        chunks: () throws -> Data?, _ body: (Subscriber) throws -> Void
    ) throws {
        var columns: Columns?
        // Digests, not strings, in one flat table: a million-row list is checked in 25 MB.
        var seen = AddressDigestTable()
        var sizing = TableSizing(expectedBytes: checkingDuplicates ? expectedBytes : nil)
        var problems = Diagnostics()
        func take(_ record: CSV.Record) throws {
            guard let columns else {
                columns = Columns(try readHeader(record, path: path))
                return
            }
            if record.isBlank { return }
            sizing.rows += 1
            switch subscriber(from: record, columns: columns, path: path) {
            case .failure(let diagnostics):
                problems.append(contentsOf: diagnostics.items)
            case .success(let subscriber):
                if checkingDuplicates, let first = seen.insert(AddressDigest(subscriber.key), value: record.line) {
                    problems.append(.error(
                        record.position(of: columns.email, in: path),
                        "\(subscriber.email) is already on line \(first); remove one of the two rows"))
                    return
                }
                try body(subscriber)
            }
        }
        var opening = Opening(path: path)
        var parser = CSV.Parser(separator: .comma)
        do {
            while let chunk = try chunks(), !chunk.isEmpty {
                // One copy of each 64 KiB chunk into an array, which the parser indexes.
                let bytes = [UInt8](chunk)[...]
                if opening.isComplete {
                    try parser.parse(bytes, take)
                } else if let start = try opening.read(bytes, atEnd: false) {
                    try parser.parse(start[...], take)
                }
                if let rows = sizing.estimate(afterReading: bytes.count) { seen.reserve(rows) }
            }
            if !opening.isComplete, let start = try opening.read([], atEnd: true) {
                try parser.parse(start[...], take)
            }
            try parser.finish(take)
        } catch let error as CSV.SyntaxError {
            problems.append(error.diagnostic(in: path))
        } catch let error as CSV.InvalidUTF8 {
            let problem = notUTF8(error.position(in: path), CSV.Encoding.windows1252)
            // In the header the file as a whole is unreadable; further on, the rows before count.
            guard columns != nil else { throw problem }
            problems.append(problem)
        }
        if columns == nil {
            // A header that never ends (an unclosed quote) is reported as what it is.
            try problems.throwIfErrors()
            throw Diagnostic.error(
                SourcePosition(path: path), "the list is empty; it needs the header line \(CSV.line(Subscriber.columns))")
        }
        try problems.throwIfErrors()
    }

    /// The error for a list file that is not UTF-8.
    static func notUTF8(_ position: SourcePosition, _ encoding: some CustomStringConvertible) -> Diagnostic {
        .error(
            position, "the list is in \(encoding), not UTF-8; bring spreadsheets in with "
                + "`tiedote lists import FILE --list NAME`")
    }

    /// The text of a list file holding `subscribers`, in order, with the canonical header.
    public static func text(_ subscribers: [Subscriber]) -> String {
        CSV.text([Subscriber.columns] + subscribers.map(fields(of:)))
    }

    /// A subscriber's fields in `Subscriber.columns` order.
    public static func fields(of subscriber: Subscriber) -> [String] {
        [
            subscriber.email, subscriber.name, subscriber.municipality?.rawValue ?? "",
            subscriber.interests.joined(separator: ";"), subscriber.language,
            subscriber.consentSource, subscriber.consentedAt,
        ]
    }

    static func readHeader(_ record: CSV.Record, path: String) throws -> [String: Int] {
        var columns: [String: Int] = [:]
        var problems = Diagnostics()
        for (index, raw) in record.fields.enumerated() {
            let name = raw.trimmingSpaces
            let position = record.position(of: index, in: path)
            if !Subscriber.columns.contains(name) {
                problems.append(.error(
                    position, "unknown column '\(name)'; a list file has the columns "
                        + "\(CSV.line(Subscriber.columns)) (use `tiedote lists import` for spreadsheets)"))
            } else if columns[name] != nil {
                problems.append(.error(position, "the column '\(name)' appears twice; remove one"))
            } else {
                columns[name] = index
            }
        }
        if columns["email"] == nil && !problems.hasErrors {
            problems.append(.error(record.position(of: 0, in: path), "the header has no 'email' column; add it"))
        }
        try problems.throwIfErrors()
        return columns
    }

    /// Where each column stands in the rows, found once from the header.
    struct Columns {
        var email: Int
        var name: Int?
        var municipality: Int?
        var interests: Int?
        var language: Int?
        var consentSource: Int?
        var consentedAt: Int?
        /// How many fields every row has.
        var width: Int

        init(_ indexes: [String: Int]) {
            email = indexes["email"] ?? 0
            name = indexes["name"]
            municipality = indexes["municipality"]
            interests = indexes["interests"]
            language = indexes["language"]
            consentSource = indexes["consent_source"]
            consentedAt = indexes["consented_at"]
            width = indexes.values.max().map { $0 + 1 } ?? 0
        }
    }

    /// One row as a subscriber, or every problem it has.
    static func subscriber(from record: CSV.Record, columns: Columns, path: String) -> Result<Subscriber, Diagnostics> {
        let fields = record.fields
        let width = columns.width
        if fields.count != width {
            let position = record.position(of: fields.count > width ? width : fields.count - 1, in: path)
            return .failure(Diagnostics([.error(
                position, "this row has \(fields.count) fields but the header has \(width); "
                    + "put quotes around a value that contains a comma")]))
        }
        func value(_ column: Int?) -> String {
            column.map { fields[$0].trimmingSpaces } ?? ""
        }
        func position(_ column: Int?) -> SourcePosition {
            record.position(of: column ?? 0, in: path)
        }
        var problems = Diagnostics()
        let email = value(columns.email)
        var subscriber = Subscriber(email: email, position: record.position(of: 0, in: path))
        switch EmailAddress.normalized(email) {
        case .success(let address): subscriber.email = address
        case .failure(let problem):
            problems.append(.error(position(columns.email), "'\(email)' is not a usable address: \(problem.reason)"))
        }
        subscriber.name = value(columns.name)
        if subscriber.name.containsControlCharacters {
            problems.append(.error(position(columns.name), "the name contains a line break or a control character; write it on one line"))
        }
        let municipality = value(columns.municipality)
        if !municipality.isEmpty {
            if let known = Municipality(name: municipality), !known.isOnline {
                subscriber.municipality = known
            } else {
                problems.append(.error(
                    position(columns.municipality), "'\(municipality)' is not one of the 22 municipalities of "
                        + "Keski-Suomi; write it as listed (e.g. Jyväskylä) or leave it empty"))
            }
        }
        subscriber.interests = interests(in: value(columns.interests))
        let language = value(columns.language)
        if language.isEmpty {
            subscriber.language = "fi"
        } else if isLanguageCode(language) {
            subscriber.language = language
        } else {
            problems.append(.error(position(columns.language), "'\(language)' is not a language code; write e.g. fi, sv or en"))
        }
        subscriber.consentSource = value(columns.consentSource)
        let consentedAt = value(columns.consentedAt)
        if !consentedAt.isEmpty && !isISODate(consentedAt) {
            problems.append(.error(
                position(columns.consentedAt), "'\(consentedAt)' is not an ISO date; write it as 2026-03-01 "
                    + "or 2026-03-01T14:05"))
        }
        subscriber.consentedAt = consentedAt
        return problems.items.isEmpty ? .success(subscriber) : .failure(problems)
    }

    /// The `;`-separated interests, trimmed, without empty ones.
    static func interests(in text: String) -> [String] {
        // In ASCII text each `;` byte is a character of its own and the only white space is
        // ASCII, so the bytes can be split and trimmed; elsewhere a `;` may carry a combining
        // mark, and only characters tell.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(separator: ";").map(\.trimmingSpaces).filter { !$0.isEmpty }
        }
        let bytes = Array(text.utf8)
        var interests: [String] = []
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ";") {
            var (first, last) = (start, end)
            while first < last && bytes[first].isASCIISpace { first += 1 }
            while last > first && bytes[last - 1].isASCIISpace { last -= 1 }
            if first < last { interests.append(String(decoding: bytes[first..<last], as: UTF8.self)) }
            start = end + 1
        }
        return interests
    }

    /// At most 8 ASCII letters and hyphens (`fi`, `sv-FI`). Bytes stand for characters here:
    /// a character is an ASCII letter or a hyphen only when it is one such byte.
    static func isLanguageCode(_ text: String) -> Bool {
        text.utf8.count <= 8 && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "-")
        }
    }

    /// `YYYY-MM-DD`, optionally followed by `T` or a space and a time.
    public static func isISODate(_ text: String) -> Bool {
        if let verdict = isISODateByBytes(text) { return verdict }
        guard LocalDate(iso: text.prefix(10)) != nil else { return false }
        guard text.count > 10 else { return true }
        let rest = text.dropFirst(10)
        return rest.first == "T" || rest.first == " "
    }

    /// `isISODate(_:)` read from the bytes when they start with `DDDD-DD-DD` and no non-ASCII
    /// byte near the end of the date could join a character to it; nil otherwise.
    static func isISODateByBytes(_ text: String) -> Bool? {
        let verdict = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for byte in bytes[range] {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
            else { return nil }
            if bytes.count > 10 {
                guard bytes[10] < 0x80, bytes.count == 11 || bytes[11] < 0x80 else { return nil }
                guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else { return false }
            }
            return LocalDate(year: year, month: month, day: day) != nil
        }
        return verdict ?? nil
    }
}
