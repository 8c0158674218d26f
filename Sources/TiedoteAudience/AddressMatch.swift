import Foundation

/// Finds an address in free text as a whole address, case-insensitively: forgetting
/// `aino@example.fi` must not touch `paino@example.fi` or `aino@example.fi.invalid`.
enum AddressMatch {
    /// The ranges where `key` stands as a whole address in `text`.
    static func ranges(of key: String, in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = text.startIndex
        while start < text.endIndex,
            let range = text.range(of: key, options: .caseInsensitive, range: start..<text.endIndex)
        {
            if isBoundary(before: range.lowerBound, in: text) && isBoundary(after: range.upperBound, in: text) {
                result.append(range)
            }
            start = text.index(after: range.lowerBound)
        }
        return result
    }

    /// True when `key` stands as a whole address somewhere in `text`.
    static func contains(_ key: String, in text: String) -> Bool { !ranges(of: key, in: text).isEmpty }

    /// `text` with every whole-address `key` replaced by `replacement`.
    static func replacing(_ key: String, with replacement: String, in text: String) -> String {
        var result = ""
        var last = text.startIndex
        for range in ranges(of: key, in: text) {
            result += text[last..<range.lowerBound]
            result += replacement
            last = range.upperBound
        }
        result += text[last...]
        return result
    }

    static func isAddressCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "!#$%&'*+/=?^_`{|}~-.".contains(character)
    }

    static func isBoundary(before index: String.Index, in text: String) -> Bool {
        guard index > text.startIndex else { return true }
        return !isAddressCharacter(text[text.index(before: index)])
    }

    static func isBoundary(after index: String.Index, in text: String) -> Bool {
        guard index < text.endIndex else { return true }
        let next = text[index]
        if next == "." {
            let following = text.index(after: index)
            return following == text.endIndex || !(text[following].isLetter || text[following].isNumber)
        }
        return !(next.isLetter || next.isNumber || next == "-" || next == "_")
    }
}
