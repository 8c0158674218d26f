/// Checks on the links events carry.
enum WebLink {
    /// True for an absolute `http://` or `https://` URL with a host and no white space.
    static func isHTTP(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        guard let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first,
            !host.isEmpty
        else { return false }
        return !text.contains { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }
    }
}
