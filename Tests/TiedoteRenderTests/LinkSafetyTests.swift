import Testing
@testable import TiedoteRender

/// `LinkSafety.isSafe` looks only at a URL's start; it must judge every URL as the rule over
/// the whole URL does.
struct LinkSafetyTests {
    /// The rule applied to the whole URL (the code before it looked only at the start).
    static func wholeURLRule(_ url: String, isImage: Bool) -> Bool {
        let trimmed = url.unicodeScalars.drop { $0.value <= 0x20 }.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let lower = String(String.UnicodeScalarView(trimmed)).lowercased()
        if ["javascript:", "vbscript:", "file:"].contains(where: { lower.hasPrefix($0) }) { return false }
        if lower.hasPrefix("data:") {
            return isImage && ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { lower.hasPrefix($0) }
        }
        return true
    }

    @Test func judgesAsTheWholeURLRule() {
        let long = String(repeating: "iVBORw0KGgoAAAANSUhEUgAA", count: 400)
        var urls = [
            "https://tuottajaverkosto.example.fi/", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  \u{1}java\tscript:x",
            "vbscript:x", "FILE:///etc/passwd", "data:text/html,<b>", "data:image/png;base64," + long,
            "DATA:IMAGE/JPEG;base64," + long, "data:image/svg+xml;base64," + long, "data:image/pn\u{301}g,x",
            "j\u{301}avascript:x", "javascrip" + "t" + String(repeating: "\u{301}", count: 40) + ":x",
            "\u{212A}ile:x", "\u{130}data:image/png", "mailto:x@example.fi", "", "   ", "\t\n\r", "data:",
            "da\nta:image/gif,x", String(repeating: " ", count: 100) + "javascript:x",
            "javascript" + String(repeating: "\t", count: 50) + ":x", "https://x.fi/" + long,
        ]
        urls += urls.map { $0.uppercased() }
        for url in urls {
            for isImage in [false, true] {
                #expect(LinkSafety.isSafe(url, isImage: isImage) == Self.wholeURLRule(url, isImage: isImage), "\(url.prefix(60))")
            }
        }
    }
}
