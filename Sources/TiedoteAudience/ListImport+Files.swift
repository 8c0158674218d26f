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

    /// How many stray bytes are named one by one.
    static let strayBytesShown = 20

    /// Throws at each byte that is not UTF-8 in a file that otherwise is (it has UTF-8's byte
    /// order mark or well-formed UTF-8 characters elsewhere): one cell pasted from another
    /// program must not make the whole file read as Windows-1252 and garble every name.
    static func refuseStrayBytes(_ data: Data, source: String) throws {
        guard !data.starts(with: [0xFF, 0xFE]) else { return }
        let survey = CSV.utf8Survey(data)
        guard !survey.stray.isEmpty, survey.multiByte > 0 || data.starts(with: [0xEF, 0xBB, 0xBF]) else { return }
        var problems = Diagnostics(survey.stray.prefix(strayBytesShown).map { stray in
            .error(
                SourcePosition(path: source, line: stray.line, column: stray.column),
                "the byte 0x\(String(stray.byte, radix: 16, uppercase: true)) is not UTF-8, though the rest of the file "
                    + "is: the file mixes encodings, and reading it all as Windows-1252 would garble every ä and ö. "
                    + "Type this character again (or save the whole file again as \"CSV UTF-8\") and import again")
        })
        let more = survey.stray.count - strayBytesShown
        if more > 0 {
            problems.append(.error(SourcePosition(path: source), "\(more) more byte\(more == 1 ? "" : "s") that are not UTF-8"))
        }
        problems.append(.error(SourcePosition(path: source), "nothing was imported"))
        throw problems
    }
}
