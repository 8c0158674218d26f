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
        try read(decoded: CSV.decode(data), path: path, body)
    }

    /// Reads a list file already decoded (so its bytes need not stay in memory meanwhile).
    public static func read(
        decoded: (text: String, encoding: CSV.Encoding), path: String, _ body: (Subscriber) throws -> Void
    ) throws {
        let (text, encoding) = decoded
        let start = SourcePosition(path: path)
        if encoding == .windows1252 || encoding == .utf16LE {
            throw Diagnostic.error(
                start, "the list is in \(encoding), not UTF-8; bring spreadsheets in with "
                    + "`tiedote lists import FILE --list NAME`")
        }
        let separator = CSV.detectSeparator(in: text)
        if separator != .comma {
            throw Diagnostic.error(
                start, "the list uses \(separator) between columns; list files use ','. Bring "
                    + "spreadsheets in with `tiedote lists import FILE --list NAME`")
        }
        var header: [String: Int]?
        // Digests, not strings: a 100,000-row list is read without holding every address twice.
        var seen: [AddressDigest: Int] = [:]
        var problems = Diagnostics()
        do {
            try CSV.parse(text, separator: .comma) { record in
                guard let columns = header else {
                    header = try readHeader(record, path: path)
                    return
                }
                if record.isBlank { return }
                switch subscriber(from: record, columns: columns, path: path) {
                case .failure(let diagnostics):
                    problems.append(contentsOf: diagnostics.items)
                case .success(let subscriber):
                    let digest = AddressDigest(subscriber.key)
                    if let first = seen[digest] {
                        problems.append(.error(
                            record.position(of: columns["email"] ?? 0, in: path),
                            "\(subscriber.email) is already on line \(first); remove one of the two rows"))
                        return
                    }
                    seen[digest] = record.line
                    try body(subscriber)
                }
            }
        } catch let error as CSV.SyntaxError {
            problems.append(error.diagnostic(in: path))
        }
        if header == nil {
            throw Diagnostic.error(start, "the list is empty; it needs the header line \(CSV.line(Subscriber.columns))")
        }
        try problems.throwIfErrors()
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

    /// One row as a subscriber, or every problem it has.
    static func subscriber(
        from record: CSV.Record, columns: [String: Int], path: String
    ) -> Result<Subscriber, Diagnostics> {
        var problems = Diagnostics()
        let width = columns.values.max().map { $0 + 1 } ?? 0
        if record.fields.count != width {
            let position = record.position(of: record.fields.count > width ? width : record.fields.count - 1, in: path)
            return .failure(Diagnostics([.error(
                position, "this row has \(record.fields.count) fields but the header has \(width); "
                    + "put quotes around a value that contains a comma")]))
        }
        func value(_ column: String) -> String {
            columns[column].map { record.fields[$0].trimmingSpaces } ?? ""
        }
        func position(_ column: String) -> SourcePosition {
            record.position(of: columns[column] ?? 0, in: path)
        }
        var subscriber = Subscriber(email: value("email"), position: record.position(of: 0, in: path))
        switch EmailAddress.normalized(value("email")) {
        case .success(let address): subscriber.email = address
        case .failure(let problem):
            problems.append(.error(position("email"), "'\(value("email"))' is not a usable address: \(problem.reason)"))
        }
        subscriber.name = value("name")
        if subscriber.name.containsControlCharacters {
            problems.append(.error(position("name"), "the name contains a line break or a control character; write it on one line"))
        }
        let municipality = value("municipality")
        if !municipality.isEmpty {
            if let known = Municipality(name: municipality), !known.isOnline {
                subscriber.municipality = known
            } else {
                problems.append(.error(
                    position("municipality"), "'\(municipality)' is not one of the 22 municipalities of "
                        + "Keski-Suomi; write it as listed (e.g. Jyväskylä) or leave it empty"))
            }
        }
        subscriber.interests = value("interests").split(separator: ";").map(\.trimmingSpaces).filter { !$0.isEmpty }
        let language = value("language")
        if language.isEmpty {
            subscriber.language = "fi"
        } else if language.count <= 8, language.allSatisfy({ $0.isLetter && $0.isASCII || $0 == "-" }) {
            subscriber.language = language
        } else {
            problems.append(.error(position("language"), "'\(language)' is not a language code; write e.g. fi, sv or en"))
        }
        subscriber.consentSource = value("consent_source")
        let consentedAt = value("consented_at")
        if !consentedAt.isEmpty && !isISODate(consentedAt) {
            problems.append(.error(
                position("consented_at"), "'\(consentedAt)' is not an ISO date; write it as 2026-03-01 "
                    + "or 2026-03-01T14:05"))
        }
        subscriber.consentedAt = consentedAt
        return problems.items.isEmpty ? .success(subscriber) : .failure(problems)
    }

    /// `YYYY-MM-DD`, optionally followed by `T` or a space and a time.
    public static func isISODate(_ text: String) -> Bool {
        guard LocalDate(iso: text.prefix(10)) != nil else { return false }
        guard text.count > 10 else { return true }
        let rest = text.dropFirst(10)
        return rest.first == "T" || rest.first == " "
    }
}
