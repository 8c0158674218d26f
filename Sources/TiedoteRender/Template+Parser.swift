import TiedoteCore

/// Turns template source into nodes in one pass, applying Mustache's standalone-line rules
/// and set-delimiter tags as it goes.
struct TemplateParser {
    private let source: [Character]
    private let path: String
    /// Index of the first character of each line, for positions.
    private let lineStarts: [Int]

    private var index = 0
    private var open: [Character] = ["{", "{"]
    private var close: [Character] = ["}", "}"]
    private var text = ""
    /// End of the last tag, so a second tag on a line keeps both from being standalone.
    private var lastTagEnd = -1
    private var frames: [Frame] = [Frame(name: nil, inverted: false, position: nil, nodes: [])]

    /// A section being parsed, with the nodes found inside it so far.
    private struct Frame {
        var name: TemplateName?
        var inverted: Bool
        var position: SourcePosition?
        var openTag: String = ""
        var nodes: [TemplateNode]
    }

    /// What a tag does, from the character after the opening delimiter.
    private enum Kind {
        case variable(escaped: Bool)
        case section(inverted: Bool)
        case close, comment, partial, delimiters

        var canStandAlone: Bool {
            if case .variable = self { return false }
            return true
        }
    }

    init(source: String, path: String) {
        self.source = Array(source)
        self.path = path
        var starts = [0]
        for (offset, character) in self.source.enumerated() where character.isNewline {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    mutating func parse() throws -> [TemplateNode] {
        while index < source.count {
            if matches(open, at: index) {
                try parseTag()
            } else {
                text.append(source[index])
                index += 1
            }
        }
        flushText()
        if let frame = frames.last, let name = frame.name {
            throw Diagnostic.error(
                frame.position,
                "section '\(frame.openTag)' is never closed: add \(String(open))/\(name)\(String(close))")
        }
        return frames.last?.nodes ?? []
    }

    // MARK: - Tags

    private mutating func parseTag() throws {
        let start = index
        let position = self.position(of: start)
        var cursor = start + open.count
        var content: String
        var kind: Kind
        if cursor < source.count && source[cursor] == "{" {
            // Triple mustache: `{{{name}}}`, closed by `}` and the closing delimiter.
            let closing: [Character] = ["}"] + close
            guard let end = find(closing, from: cursor + 1) else { throw unclosedTag(at: position) }
            content = String(source[(cursor + 1)..<end])
            kind = .variable(escaped: false)
            cursor = end + closing.count
        } else {
            guard let end = find(close, from: cursor) else { throw unclosedTag(at: position) }
            content = String(source[cursor..<end])
            cursor = end + close.count
            (kind, content) = Self.classify(content)
            if case .variable = kind, let sigil = content.first, sigil == "<" || sigil == "$" {
                throw Diagnostic.error(position, "template inheritance ('\(String(open))\(sigil)…') is not supported: use a partial, as in \(String(open))> footer\(String(close))")
            }
        }
        let tagText = String(source[start..<cursor])

        // Standalone: the tag is alone on its line apart from spaces and tabs.
        var indentation = ""
        if kind.canStandAlone, let lineEnd = standaloneEnd(tagStart: start, tagEnd: cursor) {
            let lineStart = lineStarts[line(of: start) - 1]
            indentation = String(source[lineStart..<start])
            text.removeLast(indentation.count)
            lastTagEnd = cursor
            index = lineEnd
        } else {
            lastTagEnd = cursor
            index = cursor
        }

        switch kind {
        case .comment:
            break
        case .delimiters:
            try setDelimiters(content, tag: tagText, at: position)
        case .variable(let escaped):
            flushText()
            let name = try parseName(content, tag: tagText, at: position)
            append(.variable(name, escaped: escaped, at: position))
        case .partial:
            flushText()
            let name = content.trimmingWhitespace()
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                throw Diagnostic.error(position, "bad partial tag '\(tagText)': name one partial, as in \(String(open))> footer\(String(close))")
            }
            append(.partial(name, indentation: indentation, at: position))
        case .section(let inverted):
            flushText()
            let name = try parseName(content, tag: tagText, at: position)
            // Rendering and checking recurse once per level: a bound here keeps thousands of
            // nested sections from overflowing the stack.
            guard frames.count <= Template.maximumNesting else {
                throw Diagnostic.error(
                    position,
                    "sections nest deeper than \(Template.maximumNesting) levels at '\(tagText)': close the sections above it first")
            }
            frames.append(Frame(name: name, inverted: inverted, position: position, openTag: tagText, nodes: []))
        case .close:
            flushText()
            let name = try parseName(content, tag: tagText, at: position)
            try closeSection(name, tag: tagText, at: position)
        }
    }

    /// The tag's kind and its content without the sigil.
    private static func classify(_ raw: String) -> (Kind, String) {
        guard let sigil = raw.first else { return (.variable(escaped: true), raw) }
        let rest = String(raw.dropFirst())
        switch sigil {
        case "#": return (.section(inverted: false), rest)
        case "^": return (.section(inverted: true), rest)
        case "/": return (.close, rest)
        case "!": return (.comment, rest)
        case ">": return (.partial, rest)
        case "&": return (.variable(escaped: false), rest)
        case "=": return (.delimiters, rest)
        default: return (.variable(escaped: true), raw)
        }
    }

    private mutating func closeSection(_ name: TemplateName, tag: String, at position: SourcePosition) throws {
        guard frames.count > 1, let frame = frames.popLast(), let openName = frame.name else {
            throw Diagnostic.error(position, "'\(tag)' closes a section that was never opened: remove it or open it with \(String(open))#\(name)\(String(close))")
        }
        guard openName == name else {
            let opened = frame.position.map { " (line \($0.line), column \($0.column))" } ?? ""
            throw Diagnostic.error(
                position,
                "'\(tag)' does not match the open section '\(frame.openTag)'\(opened): close it with \(String(open))/\(openName)\(String(close))")
        }
        append(.section(openName, inverted: frame.inverted, frame.nodes, at: frame.position ?? position))
    }

    private mutating func setDelimiters(_ content: String, tag: String, at position: SourcePosition) throws {
        let usage = "write it as {{=<% %>=}}: two delimiters, separated by a space, without '=' or spaces in them"
        guard content.hasSuffix("=") else {
            throw Diagnostic.error(position, "bad set-delimiter tag '\(tag)': \(usage)")
        }
        let parts = content.dropLast().split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
            throw Diagnostic.error(position, "bad set-delimiter tag '\(tag)': \(usage)")
        }
        open = Array(parts[0])
        close = Array(parts[1])
    }

    private func parseName(_ content: String, tag: String, at position: SourcePosition) throws -> TemplateName {
        let name = content.trimmingWhitespace()
        if name.isEmpty {
            throw Diagnostic.error(position, "empty tag '\(tag)': put a name between the delimiters")
        }
        if name == "." { return TemplateName(parts: []) }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let badCharacter = name.contains { $0.isWhitespace || "{}<>$=#^/!&".contains($0) }
        if badCharacter || parts.contains(where: \.isEmpty) {
            throw Diagnostic.error(position, "bad name '\(name)' in '\(tag)': use letters, digits, '_' and '-', with dots between fields (event.title)")
        }
        return TemplateName(parts: parts)
    }

    private func unclosedTag(at position: SourcePosition) -> Diagnostic {
        Diagnostic.error(position, "unclosed tag: '\(String(open))' has no matching '\(String(close))'")
    }

    // MARK: - Scanning

    /// Where the line after a standalone tag starts, or nil when the tag shares its line with
    /// text or another tag.
    private func standaloneEnd(tagStart: Int, tagEnd: Int) -> Int? {
        let lineStart = lineStarts[line(of: tagStart) - 1]
        guard lastTagEnd <= lineStart else { return nil }
        guard source[lineStart..<tagStart].allSatisfy(Self.isBlank) else { return nil }
        var cursor = tagEnd
        while cursor < source.count && Self.isBlank(source[cursor]) { cursor += 1 }
        if cursor == source.count { return cursor }
        return source[cursor].isNewline ? cursor + 1 : nil
    }

    private static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }

    private func matches(_ delimiter: [Character], at offset: Int) -> Bool {
        guard offset + delimiter.count <= source.count else { return false }
        for (step, character) in delimiter.enumerated() where source[offset + step] != character {
            return false
        }
        return true
    }

    private func find(_ delimiter: [Character], from offset: Int) -> Int? {
        var cursor = offset
        while cursor + delimiter.count <= source.count {
            if matches(delimiter, at: cursor) { return cursor }
            cursor += 1
        }
        return nil
    }

    /// 1-based line of a character index.
    private func line(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    private func position(of offset: Int) -> SourcePosition {
        let line = line(of: offset)
        return SourcePosition(path: path, line: line, column: offset - lineStarts[line - 1] + 1)
    }

    // MARK: - Building

    private mutating func flushText() {
        guard !text.isEmpty else { return }
        append(.text(text))
        text = ""
    }

    private mutating func append(_ node: TemplateNode) {
        frames[frames.count - 1].nodes.append(node)
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
