/// A JSON value whose objects keep their keys in the order they were built.
///
/// The exports write JSON with this rather than `JSONSerialization`: `.sortedKeys` would be
/// deterministic too, but alphabetical, while the targets document their fields in a reading
/// order (`type_id`, `name`, … for Linked Events; `@context`, `@type`, `name` for schema.org),
/// and Foundation on Linux writes `/` as `\/` and may print booleans as numbers. Here the
/// table's order is the file's order, byte for byte the same on every run and platform.
public indirect enum JSONValue: Sendable, Hashable {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONValue])
    /// An object, its members in writing order.
    case object([(String, JSONValue)])

    /// `value` as a string, or `null` when nil.
    public static func string(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// Equal values with members in the same order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    /// Hashes the compact text, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized(indent: nil))
    }

    /// The member named `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The JSON text: pretty-printed with `indent` spaces per level, or compact when nil.
    ///
    /// `escapingHTML` writes `<`, `>` and `&` as `\u003c` etc., so the text can sit inside an
    /// HTML `<script>` element without a `</script>` in a value ending it early.
    public func serialized(indent: Int? = 2, escapingHTML: Bool = false) -> String {
        var out = ""
        write(into: &out, level: 0, indent: indent, escapingHTML: escapingHTML)
        return out
    }

    private func write(into out: inout String, level: Int, indent: Int?, escapingHTML: Bool) {
        switch self {
        case let .string(text): Self.writeString(text, into: &out, escapingHTML: escapingHTML)
        case let .int(number): out += String(number)
        case let .bool(flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case let .array(items):
            writeContainer(
                items.map { (nil, $0) }, open: "[", close: "]", into: &out, level: level, indent: indent,
                escapingHTML: escapingHTML)
        case let .object(members):
            writeContainer(
                members.map { ($0.0, $0.1) }, open: "{", close: "}", into: &out, level: level, indent: indent,
                escapingHTML: escapingHTML)
        }
    }

    private func writeContainer(
        _ items: [(String?, JSONValue)], open: String, close: String, into out: inout String, level: Int,
        indent: Int?, escapingHTML: Bool
    ) {
        out += open
        guard !items.isEmpty else {
            out += close
            return
        }
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) } ?? ""
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { out += "," }
            out += newline
            if let key {
                Self.writeString(key, into: &out, escapingHTML: escapingHTML)
                out += indent == nil ? ":" : ": "
            }
            value.write(into: &out, level: level + 1, indent: indent, escapingHTML: escapingHTML)
        }
        out += indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        out += close
    }

    private static func writeString(_ text: String, into out: inout String, escapingHTML: Bool) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapingHTML, ">" where escapingHTML, "&" where escapingHTML,
                "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar)
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
