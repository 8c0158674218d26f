import Foundation

/// `; name=value` parameters of structured header fields (RFC 2045 §5.1), quoted strings
/// honoured; RFC 2231 continuations are not needed by anything Tiedote reads.
enum HeaderParameters {
    /// `value` cut at the semicolons outside quoted strings and comments.
    static func split(_ value: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var comment = 0
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where quoted:
                escaped = true
                current.append(character)
            case "\"" where comment == 0:
                quoted.toggle()
                current.append(character)
            case "(" where !quoted:
                comment += 1
            case ")" where !quoted && comment > 0:
                comment -= 1
            case ";" where !quoted && comment == 0:
                fields.append(current)
                current = ""
            default:
                if comment == 0 { current.append(character) }
            }
        }
        fields.append(current)
        return fields
    }

    /// `name=value` fields as a table keyed by lower-cased name; the first of a repeated name wins.
    static func parse(_ fields: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for field in fields {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = field[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, result[name] == nil else { continue }
            result[name] = unquote(field[field.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return result
    }

    /// A quoted string's content with its backslash escapes undone; other text as it is.
    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
