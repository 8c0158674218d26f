import Foundation
/// HTML to rough text, for bounce notices that come only as HTML (Exchange's).
enum HTMLText {
    /// `html` with its tags removed (block ends become line ends) and the five basic entities decoded.
    static func strip(_ html: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().trimmingCharacters(in: ["/", " "]).prefix { $0.isLetter }
                    if ["br", "p", "div", "tr", "li", "table", "h1", "h2", "h3"].contains(String(name)) { out.append("\n") }
                    tag = ""
                } else if tag.count < 20 {
                    tag.append(character)
                }
            } else if character == "<" {
                inTag = true
            } else {
                out.append(character)
            }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&nbsp;", with: " ")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
