import TiedoteCore

/// `feed.atom`: the published issues as an Atom 1.0 feed (RFC 4287).
///
/// Every value comes from the workspace, never from the clock: an entry is `updated` at the
/// start of its month in Helsinki (when the issue goes out), and the feed at its newest entry,
/// so building the site twice from the same files gives the same feed.
struct AtomFeed: Sendable {
    /// The network's settings: name, domain, web site.
    let settings: Settings
    /// The issues, newest first.
    let pages: [ArchivePage]

    /// `tag:` URIs (RFC 4151) need no web site and never change when the site moves.
    private var idBase: String { "tag:\(settings.network.domain.lowercased()),2026:uutiskirje" }

    /// The site's absolute address with a trailing slash; nil when `network.website` is unset
    /// (links are then relative to the feed).
    private var base: String? {
        guard var website = settings.network.website?.trimmingSpaces, !website.isEmpty else { return nil }
        while website.hasSuffix("/") { website.removeLast() }
        return website + "/"
    }

    /// When an issue counts as updated: 00:00 on the first day of its month, Helsinki time.
    static func updated(_ month: YearMonth) -> String {
        Helsinki.iso8601(month.firstDay, .midnight)
    }

    /// The feed's XML.
    func xml() -> String {
        let name = settings.network.name.markupEscaped
        let prefix = base ?? ""
        var lines = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fi\">",
            "  <id>\(idBase)</id>",
            "  <title>\(name): uutiskirjeet</title>",
            "  <updated>\(pages.first.map { Self.updated($0.issue.month) } ?? "1970-01-01T00:00:00Z")</updated>",
            "  <author><name>\(name)</name>\(base.map { "<uri>\($0.markupEscaped)</uri>" } ?? "")</author>",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"\((prefix + "index.html").markupEscaped)\"/>",
        ]
        if let base { lines.append("  <link rel=\"self\" type=\"application/atom+xml\" href=\"\((base + "feed.atom").markupEscaped)\"/>") }
        for page in pages { lines += entry(page, prefix: prefix) }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    private func entry(_ page: ArchivePage, prefix: String) -> [String] {
        let issue = page.issue
        var lines = [
            "  <entry>",
            "    <id>\(idBase):\(issue.month)</id>",
            "    <title>\(issue.subject.markupEscaped)</title>",
            "    <updated>\(Self.updated(issue.month))</updated>",
            "    <published>\(Self.updated(issue.month))</published>",
            "    <author><name>\(page.coordinator.name.markupEscaped)</name></author>",
            "    <link rel=\"alternate\" type=\"text/html\" href=\"\((prefix + "\(issue.month)/index.html").markupEscaped)\"/>",
        ]
        if let preheader = issue.preheader, !preheader.isEmpty {
            lines.append("    <summary>\(preheader.markupEscaped)</summary>")
        }
        lines.append("    <content type=\"html\">\(page.content.markupEscaped)</content>")
        lines.append("  </entry>")
        return lines
    }
}
