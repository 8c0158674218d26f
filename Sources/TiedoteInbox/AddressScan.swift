import TiedoteCore

/// Finding mail addresses in free text (bounce texts, `From:` fields), strictly: anything the
/// lists would not accept is not an address.
enum AddressScan {
    /// `text` as one address (angle brackets, quotes and a trailing dot removed), lower-cased;
    /// nil unless it validates.
    static func clean(_ text: String) -> String? {
        var value = Substring(text.trimmingSpaces)
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            value = value[value.index(after: open)..<close]
        }
        value = value.drop { "\"'(<[ ".contains($0) }
        while let last = value.last, "\"')>]., :;".contains(last) { value.removeLast() }
        let address = String(value).lowercased()
        guard address.contains("@"), address.count <= 254, EmailAddress.validate(address) == nil else { return nil }
        return address
    }

    /// Every address in `text`, in order, each once.
    static func all(in text: some StringProtocol, limit: Int = 50_000) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for token in text.split(whereSeparator: { $0.isWhitespace || ",;".contains($0) }) where token.contains("@") {
            // `mailto:x@y`, `<x@y>:` and `RCPT TO:<x@y>` alike.
            var piece = Substring(token)
            if let colon = piece.lastIndex(of: ":"), piece[..<colon].contains("<") == false, piece[piece.index(after: colon)...].contains("@") {
                piece = piece[piece.index(after: colon)...]
            }
            if let address = clean(String(piece)), seen.insert(address).inserted {
                found.append(address)
                if found.count >= limit { break }
            }
        }
        return found
    }

    /// The address of a `From:`-like field (`"Aino" <aino@example.fi>`), when there is one.
    static func mailbox(_ field: String?) -> String? {
        guard let field else { return nil }
        return clean(field) ?? all(in: field).first
    }
}
