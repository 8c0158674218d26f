import TiedoteCore
import Foundation

/// The format of `Lists/suppressed.csv`: UTF-8, `,`-separated, header `email,reason,at`.
public enum SuppressionFile {
    /// Reads the file's bytes; throws `Diagnostics` naming every bad row.
    public static func read(_ data: Data, path: String) throws -> SuppressionSet {
        let (text, _) = CSV.decode(data)
        var set = SuppressionSet()
        var problems = Diagnostics()
        var columns: [String: Int]?
        do {
            try CSV.parse(text, separator: .comma) { record in
                guard let header = columns else {
                    columns = try readHeader(record, path: path)
                    return
                }
                if record.isBlank { return }
                switch row(from: record, columns: header, path: path) {
                case .success(let row): set.insert(row)
                case .failure(let problem): problems.append(problem)
                }
            }
        } catch let error as CSV.SyntaxError {
            problems.append(error.diagnostic(in: path))
        }
        try problems.throwIfErrors()
        return set
    }

    /// A row's fields in `Suppression.columns` order.
    public static func fields(of row: Suppression) -> [String] {
        [row.email, row.reason.rawValue, row.at]
    }

    static func readHeader(_ record: CSV.Record, path: String) throws -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in record.fields.map(\.trimmingSpaces).enumerated() {
            guard Suppression.columns.contains(name), columns[name] == nil else {
                throw Diagnostic.error(
                    record.position(of: index, in: path),
                    "unexpected column '\(name)'; the header must be \(CSV.line(Suppression.columns))")
            }
            columns[name] = index
        }
        guard columns.count == Suppression.columns.count else {
            throw Diagnostic.error(
                record.position(of: 0, in: path), "the header must be \(CSV.line(Suppression.columns))")
        }
        return columns
    }

    static func row(from record: CSV.Record, columns: [String: Int], path: String) -> Result<Suppression, Diagnostic> {
        guard record.fields.count == columns.count else {
            return .failure(.error(
                record.position(of: 0, in: path),
                "this row has \(record.fields.count) fields; it needs \(columns.count): \(CSV.line(Suppression.columns))"))
        }
        let email = record.fields[columns[Suppression.Column.email.rawValue] ?? 0].trimmingSpaces
        let reasonText = record.fields[columns[Suppression.Column.reason.rawValue] ?? 1].trimmingSpaces
        let at = record.fields[columns[Suppression.Column.at.rawValue] ?? 2].trimmingSpaces
        guard let reason = Suppression.Reason(rawValue: reasonText) else {
            let known = Suppression.Reason.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(.error(
                record.position(of: columns[Suppression.Column.reason.rawValue] ?? 1, in: path),
                "unknown reason '\(reasonText)'; use one of \(known)"))
        }
        if reason == .forgotten && !SuppressionSet.isHash(email) {
            return .failure(.error(
                record.position(of: columns[Suppression.Column.email.rawValue] ?? 0, in: path),
                "a forgotten address must be stored as sha256:SALT:HEX; run `tiedote forget ADDRESS` instead"))
        }
        if reason != .forgotten, let problem = EmailAddress.validate(email) {
            return .failure(.error(
                record.position(of: columns[Suppression.Column.email.rawValue] ?? 0, in: path), "'\(email)' is not an address: \(problem)"))
        }
        return .success(Suppression(email: email, reason: reason, at: at))
    }
}
