/// Writes a Markdown tree as text that reads well on its own: wrapped at a width in
/// characters, links written out, lists and quotes marked the way people type them in mail.
struct PlainTextRenderer {
    /// Columns per line, counted in characters; nil leaves paragraphs on one line.
    let width: Int?

    func render(_ blocks: [MarkdownBlock]) -> String {
        let lines = render(blocks, width: width, tight: false)
        guard !lines.isEmpty else { return "" }
        return lines.map(Self.trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }

    /// Each block's lines; blocks separated by one blank line unless `tight`.
    private func render(_ blocks: [MarkdownBlock], width: Int?, tight: Bool) -> [String] {
        var lines: [String] = []
        for block in blocks {
            guard let blockLines = render(block, width: width) else { continue }
            if !lines.isEmpty && !tight { lines.append("") }
            lines += blockLines
        }
        return lines
    }

    /// A block's lines, or nil for blocks that print nothing (raw HTML).
    private func render(_ block: MarkdownBlock, width: Int?) -> [String]? {
        switch block {
        case .paragraph(let inlines):
            return wrap(inlines, width: width)
        case .heading(let level, let inlines):
            let lines = wrap(inlines, width: width)
            let longest = lines.map(\.count).max() ?? 0
            switch level {
            case 1: return lines + [String(repeating: "=", count: longest)]
            case 2: return lines + [String(repeating: "-", count: longest)]
            default: return lines
            }
        case .blockQuote(let blocks):
            let inner = render(blocks, width: narrowed(width, by: 2), tight: false)
            return inner.map { $0.isEmpty ? ">" : "> " + $0 }
        case .list(let list):
            return render(list, width: width)
        case .codeBlock(_, let literal):
            var codeLines = literal.split(separator: "\n", omittingEmptySubsequences: false)
            if codeLines.last == "" { codeLines.removeLast() }
            return codeLines.map { $0.isEmpty ? "" : "    " + $0 }
        case .html:
            return nil
        case .thematicBreak:
            return [String(repeating: "-", count: min(width ?? 72, 72))]
        }
    }

    private func render(_ list: MarkdownList, width: Int?) -> [String] {
        var lines: [String] = []
        for (index, item) in list.items.enumerated() {
            let marker = list.ordered ? "\(list.start + index). " : "- "
            let indent = String(repeating: " ", count: marker.count)
            let inner = render(item, width: narrowed(width, by: marker.count), tight: list.tight)
            if !lines.isEmpty && !list.tight { lines.append("") }
            if inner.isEmpty {
                lines.append(marker)
                continue
            }
            for (lineIndex, line) in inner.enumerated() {
                if lineIndex == 0 {
                    lines.append(marker + line)
                } else {
                    lines.append(line.isEmpty ? "" : indent + line)
                }
            }
        }
        return lines
    }

    private func narrowed(_ width: Int?, by columns: Int) -> Int? {
        width.map { max($0 - columns, 1) }
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " { line = line.dropLast() }
        return String(line)
    }

    /// Fills lines greedily; a word longer than the width (a long URL) gets a line of its own
    /// rather than being broken.
    private func wrap(_ inlines: [MarkdownInline], width: Int?) -> [String] {
        var words = WordCollector()
        words.add(inlines)
        var lines: [String] = []
        for segment in words.finish() {
            var line = ""
            var length = 0
            for word in segment {
                let wordLength = word.count
                if line.isEmpty {
                    line = word
                    length = wordLength
                } else if let width, length + 1 + wordLength > width {
                    lines.append(line)
                    line = word
                    length = wordLength
                } else {
                    line += " " + word
                    length += 1 + wordLength
                }
            }
            lines.append(line)
        }
        return lines
    }
}

/// Splits inline content into words, keeping URLs whole, in segments that hard line breaks
/// separate.
private struct WordCollector {
    private var segments: [[String]] = []
    private var words: [String] = []
    private var current = ""

    mutating func add(_ inlines: [MarkdownInline]) {
        for inline in inlines { add(inline) }
    }

    mutating func finish() -> [[String]] {
        endWord()
        segments.append(words)
        words = []
        return segments
    }

    private mutating func add(_ inline: MarkdownInline) {
        switch inline {
        case .text(let text), .code(let text):
            addText(text)
        case .softBreak:
            endWord()
        case .lineBreak:
            endWord()
            segments.append(words)
            words = []
        case .html:
            break
        case .emphasis(let children), .strong(let children):
            add(children)
        case .link(let url, _, let children):
            let text = MarkdownInline.plainContent(children)
            guard LinkSafety.isSafe(url, isImage: false) else { return add(children) }
            if text == url || "mailto:" + text == url {
                current += text
            } else {
                add(children)
                endWord()
                current += "<\(url)>"
            }
        case .image(let url, _, let children):
            let alt = MarkdownInline.plainContent(children)
            guard LinkSafety.isSafe(url, isImage: true) else { return addText(alt) }
            if !alt.isEmpty {
                addText("[\(alt)]")
                endWord()
            }
            current += "<\(url)>"
        }
    }

    /// Breaks only at ordinary spaces: a no-break space (as in "klo 14.00") stays put.
    private mutating func addText(_ text: String) {
        for character in text {
            if character == " " || character == "\t" || character == "\n" || character == "\r\n" {
                endWord()
            } else {
                current.append(character)
            }
        }
    }

    private mutating func endWord() {
        if !current.isEmpty { words.append(current) }
        current = ""
    }
}
