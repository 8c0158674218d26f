import TiedoteCore

extension ListImport {
    /// What an import read, kept, merged, skipped and rejected.
    public struct Report: Sendable {
        /// A header recognised as one of the list's columns.
        public struct MappedColumn: Sendable, Hashable {
            /// The header as written in the file.
            public var header: String
            /// What it was taken to hold.
            public var column: ImportColumn
        }

        /// A row that was not imported because it is invalid.
        public struct Rejected: Sendable, Hashable {
            /// The row's line in the file.
            public var line: Int
            /// Why.
            public var reason: String
            /// The row's cells, as read.
            public var fields: [String]
        }

        /// A row whose address appeared on an earlier line.
        public struct Duplicate: Sendable, Hashable {
            /// The later row's line.
            public var line: Int
            /// The line of the row that was kept.
            public var firstLine: Int
        }

        /// A row left out because its address is on the suppression list.
        public struct Suppressed: Sendable, Hashable {
            /// The row's line.
            public var line: Int
            /// Why the address is suppressed.
            public var reason: Suppression.Reason
        }

        /// The file as shown in messages.
        public var source: String
        /// The list name.
        public var list: String
        /// The detected encoding.
        public var encoding: CSV.Encoding
        /// The detected separator.
        public var separator: CSV.Separator
        /// The header's cells, as read.
        public var header: [String]
        /// Data rows read (blank rows not counted).
        public var rows: Int
        /// Recognised columns, in file order.
        public var columns: [MappedColumn] = []
        /// Headers of columns the list does not keep.
        public var ignoredColumns: [String] = []
        /// New subscribers.
        public var added = 0
        /// Existing subscribers whose fields changed.
        public var updated = 0
        /// Existing subscribers the file repeated without changes.
        public var unchanged = 0
        /// Rows repeating an address of an earlier row (merged into it).
        public var duplicates: [Duplicate] = []
        /// Rows whose address is suppressed.
        public var suppressed: [Suppressed] = []
        /// Invalid rows.
        public var rejected: [Rejected] = []
        /// Per-row problems, positioned in the source file (rejections and lesser notes).
        public var notes: [Diagnostic] = []
        /// Subscribers on the list after the import.
        public var total = 0
        /// Where the rejected rows were written, when there were any.
        public var rejectsPath: String?

        /// The summary a person reads after an import.
        public var summary: [String] {
            var lines = [
                "Read \(source): \(encoding), separator \(separator), \(rows) row\(rows == 1 ? "" : "s")",
                "Columns: " + columns.map { "\($0.header) → \($0.column)" }.joined(separator: ", ")
                    + (ignoredColumns.isEmpty ? "" : "; ignored: " + ignoredColumns.joined(separator: ", ")),
                "\(list): \(added) added, \(updated) updated, \(unchanged) unchanged; "
                    + "\(total) subscriber\(total == 1 ? "" : "s") in \(Workspace.listPath(list))",
            ]
            if !duplicates.isEmpty {
                let pairs = duplicates.map { "\($0.line) = \($0.firstLine)" }.joined(separator: ", ")
                lines.append("\(duplicates.count) duplicate row\(duplicates.count == 1 ? "" : "s") merged into the first (lines \(pairs))")
            }
            if !suppressed.isEmpty {
                let items = suppressed.map { "\($0.line) \($0.reason.rawValue)" }.joined(separator: ", ")
                lines.append("\(suppressed.count) suppressed address\(suppressed.count == 1 ? "" : "es") not added (lines \(items))")
            }
            if !rejected.isEmpty {
                let lineList = rejected.map { String($0.line) }.joined(separator: ", ")
                lines.append("\(rejected.count) invalid row\(rejected.count == 1 ? "" : "s") rejected (lines \(lineList))"
                    + (rejectsPath.map { ", written to \($0): fix them there and import that file" } ?? ""))
            }
            return lines
        }
    }
}
