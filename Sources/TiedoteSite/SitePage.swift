import TiedoteCore

/// The frame of every page of the public site (the archive, the issues, the events and the
/// server's forms): Finnish, one column readable on a phone, styled like the newsletter, and
/// no script or inline style, so a strict Content-Security-Policy holds.
public struct SitePage: Sendable {
    /// The page's title (also its `<h1>` unless the body has its own).
    public var title: String
    /// The HTML inside `<main>`.
    public var body: String
    /// `""` for a page at the site's root, `"../"` one folder down: links are relative, so the
    /// site works under any address.
    public var root: String
    /// Extra elements for `<head>` (the events page's JSON-LD, the feed link).
    public var head: String

    /// Creates a page.
    public init(title: String, body: String, root: String = "", head: String = "") {
        self.title = title
        self.body = body
        self.root = root
        self.head = head
    }

    /// The whole document for the network called `network`.
    public func html(network: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="fi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.markupEscaped) – \(network.markupEscaped)</title>
        <link rel="stylesheet" href="\(root)style.css">
        <link rel="alternate" type="application/atom+xml" title="\(network.markupEscaped): uutiskirjeet" href="\(root)feed.atom">
        \(head)</head>
        <body>
        <a class="skip" href="#sisalto">Siirry sisältöön</a>
        <header class="site"><a href="\(root)index.html">\(network.markupEscaped)</a></header>
        <nav aria-label="Päävalikko"><ul>
        <li><a href="\(root)index.html">Uutiskirjeet</a></li>
        <li><a href="\(root)events/index.html">Tapahtumat</a></li>
        <li><a href="/tilaa">Tilaa uutiskirje</a></li>
        </ul></nav>
        <main id="sisalto">
        \(body)
        </main>
        <footer><p>\(network.markupEscaped) · <a href="\(root)feed.atom">Atom-syöte</a> · <a href="\(root)events.ics">Tapahtumakalenteri (.ics)</a></p></footer>
        </body>
        </html>

        """
    }

    /// `style.css`: the newsletter's colours and type (Templates/layout.html), as one
    /// stylesheet; focus outlines kept for keyboard users.
    public static let stylesheet = """
        html { background: #eef1f3; }
        body { margin: 0 auto; max-width: 40rem; background: #ffffff; color: #1f1f1f;
          font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; }
        header.site { background: #1d4f5e; padding: 1.25rem 1.5rem; font-size: 1.25rem; font-weight: bold; }
        header.site a { color: #ffffff; text-decoration: none; }
        nav ul { list-style: none; margin: 0; padding: 0.5rem 1.5rem; background: #f6f7f8;
          border-bottom: 1px solid #d0d5d9; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
        main { padding: 1.5rem; }
        footer { padding: 1rem 1.5rem; background: #f6f7f8; border-top: 1px solid #d0d5d9;
          font-size: 0.8125rem; color: #3d4449; }
        h1 { font-size: 1.625rem; line-height: 1.3; margin: 0 0 1rem 0; }
        h2 { font-size: 1.375rem; line-height: 1.3; margin: 1.5rem 0 0.75rem 0; }
        h3 { font-size: 1.125rem; line-height: 1.3; margin: 1.5rem 0 0.75rem 0; }
        a { color: #0b5394; }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
        img { max-width: 100%; height: auto; }
        blockquote { margin: 0 0 1rem 0; padding-left: 0.75rem; border-left: 4px solid #c8c8c8; color: #444444; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { position: static; display: block; padding: 0.5rem 1.5rem; }
        .meta { color: #3d4449; font-size: 0.875rem; }
        ul.archive, ul.events { padding-left: 0; list-style: none; }
        ul.archive li, ul.events li { margin: 0 0 1.25rem 0; }
        form p { margin: 0 0 1rem 0; }
        label { display: block; font-weight: bold; margin-bottom: 0.25rem; }
        fieldset { border: 1px solid #d0d5d9; margin: 0 0 1rem 0; padding: 0.5rem 1rem; }
        fieldset label { display: inline; font-weight: normal; }
        legend { font-weight: bold; }
        input[type=email], input[type=text], select { width: 100%; box-sizing: border-box;
          font-size: 1rem; padding: 0.5rem; border: 1px solid #6b7378; border-radius: 4px; }
        .choice { display: block; margin: 0.25rem 0; }
        label.choice { display: inline; font-weight: normal; }
        button { font-size: 1rem; padding: 0.625rem 1.25rem; background: #1d4f5e; color: #ffffff;
          border: 0; border-radius: 4px; cursor: pointer; }
        .error { color: #a4000f; font-weight: bold; }

        """
}
