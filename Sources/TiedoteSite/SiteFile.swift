import Foundation

/// One file of the public site, by its path under the site's root (`2026-12/index.html`).
public struct SiteFile: Sendable, Hashable {
    /// The path under the site's root, with `/` separators and no leading slash.
    public var path: String
    /// The media type a web server sends it with.
    public var contentType: String
    /// The file's bytes.
    public var data: Data

    /// Creates a file from text (UTF-8).
    public init(path: String, contentType: String, text: String) {
        self.path = path
        self.contentType = contentType
        data = Data(text.utf8)
    }

    /// The media types of the site's files.
    public enum MediaType {
        /// An HTML page.
        public static let html = "text/html; charset=utf-8"
        /// The stylesheet.
        public static let css = "text/css; charset=utf-8"
        /// The Atom feed (RFC 4287).
        public static let atom = "application/atom+xml; charset=utf-8"
        /// An iCalendar file (RFC 5545).
        public static let calendar = "text/calendar; charset=utf-8"
    }
}
