import Foundation
import TiedoteCore

/// The issue and list a journal belongs to, written on its first line.
///
/// A journal copied or renamed to another month's or list's name would otherwise be trusted:
/// every recipient it calls sent would be skipped by a send that never reached them.
public struct JournalHeader: Sendable, Hashable {
    /// The issue's month, `YYYY-MM`.
    public var issue: String
    /// The list's name.
    public var list: String

    /// Creates a header.
    public init(issue: String, list: String) {
        self.issue = issue
        self.list = list
    }

    /// The start every journal's first line has, with or without the issue and list.
    static let marker = "# tiedote delivery journal"
    private static let issueMark = " for issue "
    private static let listMark = ", list "
    /// The first line of journals written before the header named the issue and list.
    static let legacyLine = "\(marker): one line per recipient and change of state\n"

    /// The first line, with its `\n`.
    var line: String {
        "\(Self.marker)\(Self.issueMark)\(issue)\(Self.listMark)\(list): one line per recipient and change of state\n"
    }

    /// The header a journal's first line names; nil for a legacy header or any other line.
    init?(line: Substring) {
        guard line.hasPrefix(Self.marker + Self.issueMark) else { return nil }
        let rest = line.dropFirst(Self.marker.count + Self.issueMark.count)
        guard let comma = rest.range(of: Self.listMark) else { return nil }
        let issue = rest[..<comma.lowerBound]
        let tail = rest[comma.upperBound...]
        guard let colon = tail.firstIndex(of: ":") else { return nil }
        self.init(issue: String(issue), list: String(tail[..<colon]))
    }

    /// The start of the Message-IDs of this issue's messages to this list; journals without
    /// a header are checked by them.
    var messageIDPrefix: String { "\(issue).\(ListHeaders.atom(list))." }

    /// The error for a journal at `url` that belongs elsewhere, pointing at `line`.
    func mismatch(_ url: URL, line: Int, found: String) -> Diagnostic {
        .error(
            SourcePosition(path: Workspace.shownPath(url), line: line),
            "this journal is \(found), not of issue \(issue), list \(list): it was copied or renamed. Trusting it "
                + "would skip recipients it never reached; move it out of \(Workspace.Folder.sent)/ (or back to its "
                + "own name) and run the command again")
    }
}
