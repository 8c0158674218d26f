/// Fast personalisation: a newsletter is rendered once per *variant* — recipients whose
/// differences cannot change the document's structure (the same home municipality, the same
/// strings empty or not) — with slot tokens standing for the recipient's own strings. Each
/// recipient then costs only the splicing of their escaped strings between the variant's fixed
/// runs, which a send can prepare once for the wire (`htmlRuns`, `textRuns`, `personal(_:)`).
public struct PersonalisedPieces: Sendable {
    /// The recipient strings that are spliced in rather than rendered.
    enum Slot: Int, CaseIterable, Sendable {
        case name, firstName, email, unsubscribeURL

        /// A token that Markdown escaping, cmark, HTML escaping and URL escaping all leave
        /// alone (letters and digits only), and that no newsletter text contains.
        var token: String { "\(Self.prefix)\(rawValue)\(Self.suffix)" }

        static let prefix = "qqTiedoteSlot"
        static let suffix = "Xqq"
    }

    /// Text cut at the recipient's strings: `fixed[0]`, the string for `own[0]`, `fixed[1]`,
    /// …, `fixed[own.count]`.
    struct Cut<Own: Sendable>: Sendable {
        var fixed: [String]
        var own: [Own]
    }

    /// What one recipient puts between a variant's fixed runs: escaped strings in the HTML
    /// part, whole lines (wrapped again, each ending in a newline) in the plain-text part.
    public struct Personal: Sendable {
        /// Between `htmlRuns`.
        public let html: [String]
        /// Between `textRuns`.
        public let text: [String]
    }

    let html: Cut<Slot>
    let markdown: Cut<Slot>
    /// The plain-text part: fixed lines, and the lines with slots, which may need wrapping
    /// again once the recipient's strings are in.
    let text: Cut<Cut<Slot>>
    let width: Int

    /// Cuts a render made with slot tokens into pieces.
    init(_ rendered: Newsletter.Rendered, width: Int) {
        html = Self.cut(rendered.html)
        markdown = Self.cut(rendered.markdown)
        self.width = width
        var fixedRuns: [String] = []
        var lines: [Cut<Slot>] = []
        var fixed: [Substring] = []
        for line in rendered.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if Self.firstToken(in: line) != nil {
                fixedRuns.append(fixed.isEmpty ? "" : fixed.joined(separator: "\n") + "\n")
                fixed = []
                lines.append(Self.cut(String(line)))
            } else {
                fixed.append(Substring(TextWrap.line(line, width: width)))
            }
        }
        fixedRuns.append(fixed.joined(separator: "\n"))
        text = Cut(fixed: fixedRuns, own: lines)
    }

    /// The HTML part's fixed runs, the same for every recipient of the variant.
    public var htmlRuns: [String] { html.fixed }

    /// The plain-text part's fixed runs, the same for every recipient of the variant.
    public var textRuns: [String] { text.fixed }

    /// What `recipient` puts between the fixed runs.
    public func personal(_ recipient: Newsletter.Recipient) -> Personal {
        Personal(
            html: html.own.map { TemplateEscape.html(recipient[$0]) },
            text: text.own.map { line in
                TextWrap.line(Substring(Self.joined(line.fixed, line.own.map { recipient[$0] })), width: width) + "\n"
            })
    }

    /// The newsletter with `recipient`'s strings spliced in.
    func rendered(_ recipient: Newsletter.Recipient, subject: String, preheader: String) -> Newsletter.Rendered {
        let personal = personal(recipient)
        return Newsletter.Rendered(
            subject: subject, preheader: preheader, html: Self.joined(html.fixed, personal.html),
            text: Self.joined(text.fixed, personal.text),
            markdown: Self.joined(markdown.fixed, markdown.own.map { TemplateEscape.markdown(recipient[$0]) }))
    }

    /// The fixed runs with `strings` between them (one fewer than there are runs).
    static func joined(_ fixed: [String], _ strings: [String]) -> String {
        var out = ""
        out.reserveCapacity(fixed.reduce(0) { $0 + $1.utf8.count } + strings.reduce(0) { $0 + $1.utf8.count })
        for (run, string) in zip(fixed, strings) {
            out += run
            out += string
        }
        if let last = fixed.last { out += last }
        return out
    }

    /// `Slot.prefix`'s bytes.
    private static let prefixBytes = Array(Slot.prefix.utf8)

    /// Where `Slot.prefix` first occurs in `text`, found on its UTF-8 bytes. Foundation's
    /// `range(of:)` and `contains` bridged the whole rest of the document at every token
    /// (quadratic), and the standard library's `firstRange(of:)` compares Characters: together
    /// a quarter of a 1,000-recipient send's instructions went to cutting the variants.
    static func firstToken(in text: Substring) -> Range<Substring.Index>? {
        let bytes = text.utf8
        guard let first = prefixBytes.first else { return nil }
        var from = bytes.startIndex
        while let start = bytes[from...].firstIndex(of: first) {
            var end = start
            var matched = 0
            while matched < prefixBytes.count, end < bytes.endIndex, bytes[end] == prefixBytes[matched] {
                end = bytes.index(after: end)
                matched += 1
            }
            if matched == prefixBytes.count { return start..<end }
            from = bytes.index(after: start)
        }
        return nil
    }

    /// Cuts rendered output at the slot tokens.
    static func cut(_ rendered: String) -> Cut<Slot> {
        var fixed: [String] = []
        var slots: [Slot] = []
        var run = ""
        var rest = Substring(rendered)
        while let range = firstToken(in: rest) {
            let after = rest[range.upperBound...]
            if let digit = after.first?.wholeNumberValue, let slot = Slot(rawValue: digit),
                after.dropFirst().hasPrefix(Slot.suffix)
            {
                fixed.append(run + rest[..<range.lowerBound])
                run = ""
                slots.append(slot)
                rest = after.dropFirst(1 + Slot.suffix.count)
            } else {
                run += rest[..<range.upperBound]
                rest = after
            }
        }
        fixed.append(run + rest)
        return Cut(fixed: fixed, own: slots)
    }
}
