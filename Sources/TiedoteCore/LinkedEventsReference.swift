/// A place or keyword reference for the regional calendar (Linked Events), as `tiedote.yml`
/// writes it: a bare id (`tprek:7254`, `yso:p1235`) or the API's own `@id` URL
/// (`https://…/v1/place/tprek:7254/`).
///
/// Linked Events resolves an `@id` by its URL path (`linkedevents/fields.py`
/// `JSONLDRelatedField.to_internal_value`: the view `place-detail` or `keyword-detail` under
/// the API's base), so a URL elsewhere is refused; ids are `data_source:origin_id`.
public enum LinkedEventsReference {
    /// What a reference points at: the URL path segment of its kind.
    public enum Kind: String, Sendable, Hashable {
        /// `…/place/<id>/`.
        case place
        /// `…/keyword/<id>/`.
        case keyword
    }

    /// The full `@id` URL for `text`, or why it cannot be one.
    ///
    /// - Parameters:
    ///   - apiURL: `exports.kalenteri.api_url` (`https://…/v1/`); without it only full URLs
    ///     can be checked, and only for their shape.
    public static func resolve(_ text: String, kind: Kind, apiURL: String?) -> Result<String, Problem> {
        let value = text.trimmingSpaces
        if isBareID(value) {
            guard let base = apiURL.map(normalisedBase) else { return .failure(.noBase(value)) }
            return .success("\(base)\(kind.rawValue)/\(value)/")
        }
        guard value.hasPrefix("https://") || value.hasPrefix("http://") else { return .failure(.notAnID(value, kind)) }
        guard let base = apiURL.map(normalisedBase) else {
            return .failure(.noBase(value))
        }
        guard value.hasPrefix(base) else { return .failure(.notUnderBase(value, base)) }
        let rest = value.dropFirst(base.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == kind.rawValue, isBareID(String(parts[1])), parts[2].isEmpty else {
            return .failure(.wrongShape(value, kind, base))
        }
        return .success(value)
    }

    /// The bare id at the end of a resolved `@id` URL (`…/place/tprek:7254/` → `tprek:7254`).
    public static func id(of url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }

    /// `https://host/v1/` with exactly one trailing slash.
    public static func normalisedBase(_ url: String) -> String {
        var base = url.trimmingSpaces
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/"
    }

    /// `source:id` with no white space, slash, `?` or `#`: the form of every Linked Events id.
    public static func isBareID(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        let source = parts[0].unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        let rest = !parts[1].contains { $0.isWhitespace || "/?#\"<>".contains($0) }
        return source && rest
    }

    /// Why a reference is unusable, worded for `tiedote.yml`.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// A reference needs `api_url`, which is not set.
        case noBase(String)
        /// Neither a bare id nor a URL.
        case notAnID(String, Kind)
        /// A URL outside the API's base.
        case notUnderBase(String, String)
        /// A URL under the base but not `kind/<id>/`.
        case wrongShape(String, Kind, String)

        /// The message, with what to do.
        public var description: String {
            switch self {
            case let .noBase(value):
                "'\(value)' needs the API's address: set exports.kalenteri.api_url (like https://…/v1/) in tiedote.yml"
            case let .notAnID(value, kind):
                "'\(value)' is not a Linked Events \(kind.rawValue) id: write the bare id (like \(kind == .place ? "tprek:7254" : "yso:p1235")) or its @id URL under exports.kalenteri.api_url"
            case let .notUnderBase(value, base):
                "'\(value)' is not under exports.kalenteri.api_url (\(base)): the calendar accepts only its own @id URLs; write the bare id instead"
            case let .wrongShape(value, kind, base):
                "'\(value)' is not a \(kind.rawValue) @id: write it as \(base)\(kind.rawValue)/<id>/ or as the bare id"
            }
        }
    }
}
