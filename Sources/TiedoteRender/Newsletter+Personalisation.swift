import TiedoteCore

/// Fast personalisation: a newsletter is rendered once per *variant* — recipients whose
/// differences cannot change the document's structure (the same home municipality, the same
/// strings empty or not) — with slot tokens standing for the recipient's own strings. Each
/// recipient then costs only the splicing of their escaped strings into the cached pieces.
struct PersonalisedPieces: Sendable {
    /// The recipient strings that are spliced in rather than rendered.
    enum Slot: Int, CaseIterable, Sendable {
        case name, firstName, email, unsubscribeURL

        /// A token that Markdown escaping, cmark, HTML escaping and URL escaping all leave
        /// alone (letters and digits only), and that no newsletter text contains.
        var token: String { "\(Self.prefix)\(rawValue)\(Self.suffix)" }

        static let prefix = "qqTiedoteSlot"
        static let suffix = "Xqq"
    }

    /// A run of fixed text or one recipient string.
    enum Piece: Sendable, Hashable {
        case text(String)
        case slot(Slot)
    }

    /// A stretch of the plain-text part: fixed lines, or one line with slots that may need
    /// wrapping again once the recipient's strings are in.
    enum TextBlock: Sendable, Hashable {
        case fixed(String)
        case line([Piece])
    }

    /// What decides a document's structure: which strings are empty, and the municipality
    /// that picks the local events.
    struct Variant: Hashable, Sendable {
        let empty: [Bool]
        let municipality: Municipality?

        init(_ values: [Slot: String], municipality: Municipality?) {
            empty = Slot.allCases.map { values[$0, default: ""].isEmpty }
            self.municipality = municipality
        }
    }

    let html: [Piece]
    let markdown: [Piece]
    let text: [TextBlock]
    let width: Int

    /// Cuts a render made with slot tokens into pieces.
    init(_ rendered: Newsletter.Rendered, width: Int) {
        html = Self.pieces(rendered.html)
        markdown = Self.pieces(rendered.markdown)
        self.width = width
        var blocks: [TextBlock] = []
        var fixed: [Substring] = []
        for line in rendered.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.contains(Slot.prefix) {
                if !fixed.isEmpty { blocks.append(.fixed(fixed.joined(separator: "\n") + "\n")) }
                fixed = []
                blocks.append(.line(Self.pieces(String(line)) + [.text("\n")]))
            } else {
                fixed.append(Substring(TextWrap.line(line, width: width)))
            }
        }
        blocks.append(.fixed(fixed.joined(separator: "\n")))
        text = blocks
    }

    /// A recipient's strings, by slot.
    static func values(_ subscriber: Subscriber, _ unsubscribeURL: String) -> [Slot: String] {
        [.name: subscriber.name, .firstName: subscriber.firstName, .email: subscriber.email, .unsubscribeURL: unsubscribeURL]
    }

    /// The newsletter with `values` spliced in.
    func splice(_ values: [Slot: String], subject: String, preheader: String, markdown: Bool = true) -> Newsletter.Rendered {
        var text = ""
        text.reserveCapacity(self.text.reduce(0) { $0 + Self.size($1) })
        for block in self.text {
            switch block {
            case .fixed(let lines):
                text += lines
            case .line(let pieces):
                text += Self.rewrap(Self.splice(pieces, values) { $0 }, width: width)
            }
        }
        return Newsletter.Rendered(
            subject: subject, preheader: preheader, html: Self.splice(html, values, escape: TemplateEscape.html),
            text: text, markdown: markdown ? Self.splice(self.markdown, values, escape: TemplateEscape.markdown) : "")
    }

    private static func size(_ block: TextBlock) -> Int {
        switch block {
        case .fixed(let lines): lines.utf8.count
        case .line: 160
        }
    }

    /// Splits rendered output at the slot tokens.
    static func pieces(_ rendered: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(rendered)
        while let range = rest.range(of: Slot.prefix) {
            let after = rest[range.upperBound...]
            if let digit = after.first?.wholeNumberValue, let slot = Slot(rawValue: digit),
                after.dropFirst().hasPrefix(Slot.suffix)
            {
                pieces.append(.text(String(rest[..<range.lowerBound])))
                pieces.append(.slot(slot))
                rest = after.dropFirst(1 + Slot.suffix.count)
            } else {
                pieces.append(.text(String(rest[..<range.upperBound])))
                rest = after
            }
        }
        pieces.append(.text(String(rest)))
        return pieces.filter { $0 != .text("") }
    }

    /// Joins pieces with each slot's value, escaped for the output.
    static func splice(_ pieces: [Piece], _ values: [Slot: String], escape: (String) -> String) -> String {
        var out = ""
        out.reserveCapacity(pieces.reduce(0) { total, piece in
            if case .text(let text) = piece { return total + text.utf8.count }
            return total + 64
        })
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .slot(let slot): out += escape(values[slot, default: ""])
            }
        }
        return out
    }

    /// Wraps one text line (ending in a newline) that a long spliced value pushed past
    /// `width`.
    static func rewrap(_ line: String, width: Int) -> String {
        TextWrap.line(line.dropLast(), width: width) + "\n"
    }
}
