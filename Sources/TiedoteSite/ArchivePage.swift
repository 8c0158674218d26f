import TiedoteCore
import TiedoteRender

/// One sent issue as a web page: the newsletter template rendered for nobody in particular
/// (no name, no address, no unsubscribe link, no home municipality), so the page carries no
/// recipient's personal data.
struct ArchivePage: Sendable {
    /// The issue.
    let issue: Issue
    /// Who signed it.
    let coordinator: Coordinator
    /// The body as HTML (unstyled: the site's stylesheet styles it).
    let content: String
    /// The issue's page.
    let page: SitePage

    /// The reader every archive page is rendered for: all personal strings empty.
    static let anonymous = Subscriber(email: "", name: "", municipality: nil)

    /// Renders `issue` from the workspace's templates.
    init(issue: Issue, workspace: Workspace) throws {
        let newsletter = try Newsletter.load(issue: issue, workspace: workspace)
        let rendered = try newsletter.renderInFull(for: Self.anonymous, unsubscribeURL: "")
        self.issue = issue
        coordinator = newsletter.coordinator
        content = MarkdownDocument(rendered.markdown).html(styled: false)
        let title = issue.subject
        let lead = "<p class=\"meta\">Uutiskirje \(Self.monthText(issue.month)) · \(coordinator.name.markupEscaped)</p>\n"
        page = SitePage(title: title, body: lead + content, root: "../")
    }

    /// "joulukuu 2026".
    static func monthText(_ month: YearMonth) -> String {
        "\(FinnishText.monthName(month.month)) \(month.year)"
    }

    /// The archive's front page: every published issue, newest first.
    static func index(_ pages: [ArchivePage]) -> SitePage {
        var body = "<h1>Uutiskirjeet</h1>\n"
        if pages.isEmpty {
            body += "<p>Yhtään uutiskirjettä ei ole vielä lähetetty.</p>\n"
        } else {
            body += "<ul class=\"archive\">\n"
            for page in pages {
                let issue = page.issue
                body += "<li><a href=\"\(issue.month)/index.html\">\(issue.subject.markupEscaped)</a>"
                body += "<br><span class=\"meta\">\(monthText(issue.month))</span>"
                if let preheader = issue.preheader, !preheader.isEmpty {
                    body += "<br>\(preheader.markupEscaped)"
                }
                body += "</li>\n"
            }
            body += "</ul>\n"
        }
        body += "<p><a href=\"/tilaa\">Tilaa uutiskirje</a> · <a href=\"feed.atom\">Seuraa Atom-syötteenä</a></p>\n"
        return SitePage(title: "Uutiskirjeet", body: body)
    }
}
