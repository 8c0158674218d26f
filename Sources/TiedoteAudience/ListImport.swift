import Foundation
import TiedoteCore

/// `tiedote lists import FILE --list NAME`: a spreadsheet's rows merged into a list.
///
/// Reads CSV as Finnish Excel, Google Sheets and LibreOffice save it (encoding and separator
/// detected), recognises Finnish and English headers, checks every row, drops duplicates and
/// suppressed addresses, and merges into the existing list without losing what the file lacks.
public enum ListImport {
    /// The result of a merge before anything is written.
    public struct Outcome: Sendable {
        /// The whole list after the merge, existing subscribers first, in their order.
        public var subscribers: [Subscriber]
        /// What happened, row by row.
        public var report: Report
    }

    /// Merges the CSV `data` (from `source`, as shown in messages) into `existing`.
    ///
    /// Throws only when the file as a whole cannot be read (no address column, broken
    /// quoting); bad rows are rejected one by one in the report.
    public static func merge(
        _ data: Data, source: String, list: String, existing: [Subscriber], suppressions: SuppressionSet
    ) throws -> Outcome {
        let (records, encoding, separator) = try readRecords(of: data, source: source)
        guard let headerRecord = records.first else {
            throw Diagnostic.error(SourcePosition(path: source), "the file is empty; it needs a header line and rows")
        }
        var report = Report(
            source: source, list: list, encoding: encoding, separator: separator,
            header: headerRecord.fields, rows: records.count - 1)
        let mapping = try columns(of: headerRecord, source: source, report: &report)
        var merge = Merge(existing: existing)
        for record in records.dropFirst() {
            let parsed = row(record, mapping: mapping, width: headerRecord.fields.count, source: source, report: &report)
            guard let (subscriber, present) = parsed else { continue }
            if let suppression = suppressions.suppression(for: subscriber.email) {
                report.suppressed.append(.init(line: record.line, reason: suppression.reason))
                continue
            }
            merge.add(subscriber, present: present, line: record.line, report: &report)
        }
        report.updated = merge.touched.values.filter { $0 }.count
        report.unchanged = merge.touched.values.filter { !$0 }.count
        report.total = merge.merged.count
        return Outcome(subscribers: merge.merged, report: report)
    }

    /// The file's non-blank records, with the encoding and separator they were read with.
    static func readRecords(of data: Data, source: String) throws -> ([CSV.Record], CSV.Encoding, CSV.Separator) {
        try refuseStrayBytes(data, source: source)
        var (text, encoding) = CSV.decode(data)
        var separator = CSV.detectSeparator(in: text)
        // Excel honours, and some tools write, a first line `sep=;` naming the separator.
        if text.hasPrefix("sep="), let end = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }),
            text.distance(from: text.startIndex, to: end) == 5,
            let named = CSV.Separator(rawValue: text[text.index(text.startIndex, offsetBy: 4)])
        {
            separator = named
            text = "\n" + text[text.index(after: end)...]
        }
        do {
            return (try CSV.records(text, separator: separator).filter { !$0.isBlank }, encoding, separator)
        } catch let error as CSV.SyntaxError {
            throw error.diagnostic(in: source)
        }
    }

    /// The list being merged into: existing subscribers first, in their order, then the new
    /// ones; the first file line of each address and whether a merge changed an existing row.
    struct Merge {
        var merged: [Subscriber]
        var indexByKey: [String: Int] = [:]
        var fileLineByKey: [String: Int] = [:]
        var touched: [String: Bool] = [:]

        init(existing: [Subscriber]) {
            merged = existing
            for (index, subscriber) in existing.enumerated() { indexByKey[subscriber.key] = index }
        }

        /// One accepted row: a duplicate of an earlier line fills its gaps, an existing
        /// subscriber is updated, a new one appended.
        mutating func add(_ subscriber: Subscriber, present: Set<ImportColumn>, line: Int, report: inout Report) {
            if let firstLine = fileLineByKey[subscriber.key] {
                report.duplicates.append(.init(line: line, firstLine: firstLine))
                if let index = indexByKey[subscriber.key] {
                    merged[index] = ListImport.fill(merged[index], from: subscriber, present: present)
                }
                return
            }
            fileLineByKey[subscriber.key] = line
            if let index = indexByKey[subscriber.key] {
                let updated = ListImport.update(merged[index], from: subscriber, present: present)
                touched[subscriber.key] = touched[subscriber.key] == true || updated != merged[index]
                merged[index] = updated
            } else {
                indexByKey[subscriber.key] = merged.count
                merged.append(subscriber)
                report.added += 1
            }
        }
    }

    /// Which column holds what; throws when there is no address column.
    static func columns(of header: CSV.Record, source: String, report: inout Report) throws -> [ImportColumn: Int] {
        var mapping: [ImportColumn: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let trimmed = name.trimmingSpaces
            if let column = ImportColumn(header: trimmed), mapping[column] == nil {
                mapping[column] = index
                report.columns.append(.init(header: trimmed, column: column))
            } else if !trimmed.isEmpty {
                report.ignoredColumns.append(trimmed)
            }
        }
        guard mapping[.email] != nil else {
            let position = header.position(of: 0, in: source)
            if header.fields.contains(where: { EmailAddress.validate($0) == nil }) {
                throw Diagnostic.error(
                    position, "the first line holds addresses, not column names; add a header line "
                        + "such as sähköposti\(report.separator.rawValue)nimi\(report.separator.rawValue)kunta")
            }
            throw Diagnostic.error(
                position, "no address column: name the column with the addresses 'sähköposti' or 'email' "
                    + "(found: \(header.fields.map(\.trimmingSpaces).joined(separator: ", ")))")
        }
        return mapping
    }

    /// One row as a subscriber and the columns it gave values for; nil when rejected.
    static func row(
        _ record: CSV.Record, mapping: [ImportColumn: Int], width: Int, source: String, report: inout Report
    ) -> (Subscriber, Set<ImportColumn>)? {
        func reject(_ reason: String, at column: ImportColumn?) -> (Subscriber, Set<ImportColumn>)? {
            let index = column.flatMap { mapping[$0] } ?? 0
            report.rejected.append(.init(line: record.line, reason: reason, fields: record.fields))
            report.notes.append(.warning(record.position(of: index, in: source), "\(reason); row not imported"))
            return nil
        }
        let extra = record.fields.dropFirst(width)
        if extra.contains(where: { !$0.trimmingSpaces.isEmpty }) {
            return reject(
                "the row has \(record.fields.count) fields but the header has \(width) (a value with "
                    + "\(report.separator) in it needs quotes)", at: nil)
        }
        func value(_ column: ImportColumn) -> String {
            guard let index = mapping[column], index < record.fields.count else { return "" }
            return record.fields[index].trimmingSpaces
        }
        var present = Set(ImportColumn.allCases.filter { !value($0).isEmpty })
        let rawEmail = value(.email)
        if rawEmail.isEmpty { return reject("no address", at: .email) }
        var subscriber = Subscriber(email: rawEmail)
        switch EmailAddress.normalized(rawEmail) {
        case .success(let address): subscriber.email = address
        case .failure(let problem): return reject("'\(rawEmail)' is not a usable address: \(problem.reason)", at: .email)
        }
        guard let consentedAt = ImportValue.date(value(.consentedAt)) else {
            return reject("'\(value(.consentedAt))' is not a date; write it as 1.3.2026 or 2026-03-01", at: .consentedAt)
        }
        subscriber.consentedAt = consentedAt
        subscriber.name = value(.name).isEmpty
            ? [value(.firstName), value(.lastName)].filter { !$0.isEmpty }.joined(separator: " ")
            : value(.name)
        if subscriber.name.containsControlCharacters {
            return reject("the name contains a line break or a control character; write it on one line", at: .name)
        }
        if !subscriber.name.isEmpty { present.insert(.name) }
        readKnownValues(into: &subscriber, present: &present, value: value) { column, note in
            report.notes.append(.warning(record.position(of: mapping[column] ?? 0, in: source), note))
        }
        subscriber.consentSource = value(.consentSource)
        return (subscriber, present)
    }

    /// The columns whose values must be ones we know (municipality, language) and interests:
    /// an unknown value is a note and the row is imported without it (or as fi).
    private static func readKnownValues(
        into subscriber: inout Subscriber, present: inout Set<ImportColumn>, value: (ImportColumn) -> String,
        note: (ImportColumn, String) -> Void
    ) {
        let municipality = value(.municipality)
        if !municipality.isEmpty {
            if let known = ImportValue.municipality(municipality) {
                subscriber.municipality = known
            } else {
                present.remove(.municipality)
                note(.municipality,
                    "'\(municipality)' is not one of the 22 municipalities of Keski-Suomi; imported without a municipality")
            }
        }
        subscriber.interests = ImportValue.interests(value(.interests))
        if let language = ImportValue.language(value(.language)) {
            subscriber.language = language
        } else {
            present.remove(.language)
            note(.language, "'\(value(.language))' is not a language we know; imported as fi (write fi, sv or en)")
        }
    }

    /// `existing` with every field the file gave a value for replaced.
    static func update(_ existing: Subscriber, from new: Subscriber, present: Set<ImportColumn>) -> Subscriber {
        var result = existing
        if present.contains(.name) { result.name = new.name }
        if present.contains(.municipality) { result.municipality = new.municipality }
        if present.contains(.interests) { result.interests = new.interests }
        if present.contains(.language) { result.language = new.language }
        if present.contains(.consentSource) { result.consentSource = new.consentSource }
        if present.contains(.consentedAt) { result.consentedAt = new.consentedAt }
        return result
    }

    /// `first` with its empty fields filled from a later duplicate row.
    static func fill(_ first: Subscriber, from later: Subscriber, present: Set<ImportColumn>) -> Subscriber {
        var result = first
        if result.name.isEmpty { result.name = later.name }
        if result.municipality == nil { result.municipality = later.municipality }
        if result.interests.isEmpty { result.interests = later.interests }
        if result.consentSource.isEmpty { result.consentSource = later.consentSource }
        if result.consentedAt.isEmpty { result.consentedAt = later.consentedAt }
        return result
    }
}
