import Foundation
import TiedoteCore

extension ListImport {
    /// Where an import writes the rows it rejected: `out/lists/NAME.rejects.csv`.
    public static func rejectsPath(list: String) -> String {
        "\(Workspace.Folder.out)/lists/\(list).rejects.csv"
    }

    /// Checks a list name given on the command line: it becomes a file name.
    public static func validateListName(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard !name.isEmpty, allowed, !name.hasPrefix("-"), !name.hasPrefix(".") else {
            throw Diagnostic.error(nil, "'\(name)' cannot be a list name; use letters, digits, - and _ (e.g. members)")
        }
        guard name != "suppressed" else {
            throw Diagnostic.error(nil, "'suppressed' is the suppression list; choose another list name")
        }
    }

    /// Imports `file` into list `list` of `workspace`: merges, writes the list atomically and
    /// the rejected rows to `rejectsPath(list:)`; returns the report.
    public static func run(file: URL, source: String, list: String, in workspace: Workspace) throws -> Report {
        try validateListName(list)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw Diagnostic.error(SourcePosition(path: source), "cannot read the file (is it there?)")
        }
        let listURL = workspace.url(Workspace.listPath(list))
        var existing: [Subscriber] = []
        if FileManager.default.fileExists(atPath: listURL.path) {
            do {
                existing = try workspace.subscribers(list: list)
            } catch var problems as Diagnostics {
                problems.append(.error(nil, "fix the rows of \(Workspace.listPath(list)) above before importing into it"))
                throw problems
            }
        }
        let outcome = try merge(
            data, source: source, list: list, existing: existing, suppressions: try workspace.suppressions())
        var report = outcome.report
        if workspace.settings.lists[list] == nil {
            report.notes.append(.warning(
                workspace.settings.position(of: "lists"),
                "the list '\(list)' is not under lists: in tiedote.yml; add it with a title (sends use it in List-Id)"))
        }
        try AtomicFile.write(Data(ListFile.text(outcome.subscribers).utf8), to: listURL)

        let rejectsURL = workspace.url(rejectsPath(list: list))
        if report.rejected.isEmpty {
            if FileManager.default.fileExists(atPath: rejectsURL.path) {
                try FileManager.default.removeItem(at: rejectsURL)
            }
        } else {
            try AtomicFile.write(rejectsFile(report), to: rejectsURL)
            report.rejectsPath = workspace.displayPath(rejectsPath(list: list))
        }
        return report
    }

    /// The rejected rows as a spreadsheet: `line` and `reason` first, then the file's own
    /// columns, in UTF-8 with BOM, the file's separator and CRLF, so Excel opens it as it was
    /// and the file can be imported again once fixed (the two extra columns are ignored).
    static func rejectsFile(_ report: Report) -> Data {
        var records = [["line", "reason"] + report.header]
        for row in report.rejected {
            records.append([String(row.line), row.reason] + row.fields)
        }
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data(CSV.text(records, separator: report.separator, lineEnd: "\r\n").utf8))
        return data
    }
}
