/// Inline CSS per element: email clients drop `<style>` blocks, so styling lives on each tag.
struct HTMLStyles: Sendable {
    /// An element the renderer writes.
    enum Element: Hashable {
        case paragraph, heading(Int), blockQuote, bulletList, orderedList, listItem
        case codeBlock, code, link, image, thematicBreak
    }

    private let css: @Sendable (Element) -> String?

    /// No styles: plain cmark-compatible HTML.
    static let none = HTMLStyles { _ in nil }

    /// Styles for email clients: plain fonts, readable sizes, colours with enough contrast.
    static let email = HTMLStyles { element in
        let text = "font-family:Arial,Helvetica,sans-serif;color:#1f1f1f;"
        switch element {
        case .paragraph:
            return "margin:0 0 16px 0;\(text)font-size:16px;line-height:1.5;"
        case .heading(let level):
            let size = [1: 26, 2: 22, 3: 18][level] ?? 16
            let margin = level == 1 ? "0 0 16px 0" : "24px 0 12px 0"
            return "margin:\(margin);\(text)font-size:\(size)px;line-height:1.3;font-weight:bold;"
        case .blockQuote:
            return "margin:0 0 16px 0;padding:0 0 0 12px;border-left:4px solid #c8c8c8;color:#444444;"
        case .bulletList, .orderedList:
            return "margin:0 0 16px 0;padding:0 0 0 24px;\(text)font-size:16px;line-height:1.5;"
        case .listItem:
            return "margin:0 0 6px 0;"
        case .codeBlock:
            return "margin:0 0 16px 0;padding:8px;background-color:#f4f4f4;"
                + "font-family:Menlo,Consolas,monospace;font-size:14px;white-space:pre-wrap;"
        case .code:
            return "font-family:Menlo,Consolas,monospace;font-size:14px;background-color:#f4f4f4;"
        case .link:
            return "color:#0b5394;text-decoration:underline;"
        case .image:
            return "max-width:100%;height:auto;border:0;"
        case .thematicBreak:
            return "border:0;border-top:1px solid #d0d0d0;margin:24px 0;"
        }
    }

    /// ` style="…"` for `element`, or nothing when unstyled.
    func attribute(_ element: Element) -> String {
        guard let value = css(element) else { return "" }
        return " style=\"\(value)\""
    }
}
