import Foundation
import TiedoteCore

/// Which issues the public archive shows.
///
/// An issue is published once a real send of it has begun: a delivery journal
/// `Sent/YYYY-MM--LIST.journal` with at least one record exists for it (test copies and dry
/// runs write none; a send stopped before its first recipient leaves an empty one). So a
/// coordinator's draft for next month stays private until it is sent, and the archive needs
/// no list of its own to keep up to date.
public enum PublishedIssues {
    /// The published issues of `workspace`, newest first.
    public static func list(in workspace: Workspace) -> [Issue] {
        let folder = workspace.url(Workspace.Folder.sent).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let sentMonths = Set(names.filter { name in
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)"))?[.size] as? Int
            return (size ?? 0) > 0
        }.compactMap(month(ofJournal:)))
        return workspace.issues.values
            .filter { sentMonths.contains($0.month) }
            .sorted { $0.month > $1.month }
    }

    /// The month of a journal's file name (`2026-12--members.journal`), nil for other files.
    static func month(ofJournal name: String) -> YearMonth? {
        guard name.hasSuffix(".journal"), !name.hasPrefix("."),
            let range = name.range(of: "--")
        else { return nil }
        return YearMonth(iso: String(name[..<range.lowerBound]))
    }
}
