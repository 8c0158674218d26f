import CCmark
import Foundation
import TiedoteCore

/// A CommonMark document parsed by cmark, ready to become email HTML and plain text.
public struct MarkdownDocument: Sendable {
    /// A place in the Markdown text itself: 1-based line and column (in characters).
    public struct Point: Sendable, Hashable {
        /// 1-based line of the Markdown text.
        public var line: Int
        /// 1-based column, counted in characters.
        public var column: Int
    }

    /// How deep block quotes, lists (and their items), emphasis, links and images may nest
    /// inside each other. The renderers recurse once per level; cmark itself parses any depth.
    public static let maximumNesting = 100

    /// The document's blocks as Swift values; cmark's C tree is freed right after parsing.
    let blocks: [MarkdownBlock]
    /// Where the text first nests deeper than `maximumNesting`; nil when it does not.
    /// Whatever lies deeper is kept as plain text, so rendering never recurses further.
    public let tooDeep: Point?

    /// Parses `markdown` as CommonMark.
    public init(_ markdown: String) {
        let tree = CmarkTree(parsing: markdown)
        blocks = tree.blocks()
        tooDeep = tree.firstTooDeep.map { Self.point(line: $0.line, byteColumn: $0.column, in: markdown) }
    }

    /// The error for Markdown from a user's file that nests too deep, placed in that file:
    /// `origin` is where the Markdown's first line starts. Nil when the nesting is fine.
    public func nestingProblem(from origin: SourcePosition) -> Diagnostic? {
        guard let tooDeep else { return nil }
        var position = origin
        position.line = origin.line + tooDeep.line - 1
        position.column = tooDeep.line == 1 ? origin.column + tooDeep.column - 1 : tooDeep.column
        return .error(position, Self.nestingMessage)
    }

    /// What `nestingProblem` says, for errors placed elsewhere.
    public static let nestingMessage = "the Markdown nests deeper than \(maximumNesting) levels here "
        + "(block quotes, lists, emphasis or links inside each other): flatten it, "
        + "or write a '>', '-' or '*' meant as text with a backslash before it (\\>)"

    /// cmark counts columns in bytes; people (and SourcePosition) count characters.
    private static func point(line: Int, byteColumn: Int, in markdown: String) -> Point {
        let lines = markdown.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return Point(line: max(line, 1), column: max(byteColumn, 1)) }
        let prefix = lines[line - 1].prefix(max(byteColumn - 1, 0))
        return Point(line: line, column: String(decoding: prefix, as: UTF8.self).count + 1)
    }

    /// Safe HTML: raw HTML omitted, javascript:/vbscript:/data: (non-image) links dropped. styled: inline CSS for email clients.
    public func html(styled: Bool = false) -> String {
        var renderer = HTMLRenderer(styles: styled ? .email : .none)
        renderer.render(blocks)
        return renderer.output
    }

    /// Readable plain text: wrapped at `width` columns (nil: no wrapping), links written out as "text <url>" (or just the url when text == url), headings, lists ("- ", "1. "), block quotes ("> "), code, hr, images as "[alt] <url>"; paragraphs separated by one blank line.
    public func plainText(width: Int? = 72) -> String {
        PlainTextRenderer(width: width).render(blocks)
    }

    /// cmark's own HTML for `markdown` (safe mode), so tests can hold the Swift renderer to it.
    static func referenceHTML(_ markdown: String) -> String {
        let tree = CmarkTree(parsing: markdown)
        guard let rendered = cmark_render_html(tree.root, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

/// Owns one cmark document tree and frees it when done; the only holder of a `cmark_node`.
///
/// cmark parses, walks and frees any depth without recursing; the conversion to Swift values
/// recurses once per level, so it stops at `MarkdownDocument.maximumNesting` and keeps what
/// lies deeper as plain text (see `firstTooDeep`).
private final class CmarkTree {
    let root: OpaquePointer?
    /// The first node found nested too deep, as cmark's line and byte column.
    private(set) var firstTooDeep: (line: Int, column: Int)?

    init(parsing markdown: String) {
        // Swift hands cmark the string's UTF-8 bytes (NUL-terminated, but cmark reads the length).
        root = cmark_parse_document(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT)
    }

    deinit {
        if let root { cmark_node_free(root) }
    }

    /// The document's children as Swift blocks.
    func blocks() -> [MarkdownBlock] {
        guard let root else { return [] }
        return children(of: root).compactMap { block($0, level: 1) }
    }

    private func children(of node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            result.append(current)
            child = cmark_node_next(current)
        }
        return result
    }

    private func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// `level` counts the block quotes, lists, list items, emphasis, links and images around
    /// the node, itself included when it is one of them.
    private func block(_ node: OpaquePointer, level: Int) -> MarkdownBlock? {
        let type = cmark_node_get_type(node)
        // A list's items are one level further in.
        let deepest = type == CMARK_NODE_LIST ? level + 1 : level
        if type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST, deepest > MarkdownDocument.maximumNesting {
            noteTooDeep(node)
            return .paragraph([.text(flatText(of: node))])
        }
        switch type {
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(inlines(of: node, level: level))
        case CMARK_NODE_HEADING:
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(of: node, level: level))
        case CMARK_NODE_BLOCK_QUOTE:
            return .blockQuote(children(of: node).compactMap { block($0, level: level + 1) })
        case CMARK_NODE_LIST:
            let items = children(of: node).map { children(of: $0).compactMap { block($0, level: level + 2) } }
            return .list(
                MarkdownList(
                    ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                    start: Int(cmark_node_get_list_start(node)),
                    tight: cmark_node_get_list_tight(node) != 0,
                    items: items))
        case CMARK_NODE_CODE_BLOCK:
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            return .codeBlock(info: info, literal: literal(node))
        case CMARK_NODE_HTML_BLOCK, CMARK_NODE_CUSTOM_BLOCK:
            return .html(literal(node))
        case CMARK_NODE_THEMATIC_BREAK:
            return .thematicBreak
        default:
            return nil
        }
    }

    /// `level` is the one an emphasis, link or image among the children would have.
    private func inlines(of node: OpaquePointer, level: Int) -> [MarkdownInline] {
        children(of: node).compactMap { inline($0, level: level) }
    }

    private func inline(_ node: OpaquePointer, level: Int) -> MarkdownInline? {
        let type = cmark_node_get_type(node)
        let nests = [CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_IMAGE].contains(type)
        if nests && level > MarkdownDocument.maximumNesting {
            noteTooDeep(node)
            return .text(flatText(of: node))
        }
        switch type {
        case CMARK_NODE_TEXT: return .text(literal(node))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(literal(node))
        case CMARK_NODE_HTML_INLINE, CMARK_NODE_CUSTOM_INLINE: return .html(literal(node))
        case CMARK_NODE_EMPH: return .emphasis(inlines(of: node, level: level + 1))
        case CMARK_NODE_STRONG: return .strong(inlines(of: node, level: level + 1))
        case CMARK_NODE_LINK: return .link(url: url(node), title: title(node), inlines(of: node, level: level + 1))
        case CMARK_NODE_IMAGE: return .image(url: url(node), title: title(node), inlines(of: node, level: level + 1))
        default: return nil
        }
    }

    private func url(_ node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    private func title(_ node: OpaquePointer) -> String {
        cmark_node_get_title(node).map { String(cString: $0) } ?? ""
    }

    // MARK: - Too deep

    /// Records the first too-deep node; inline nodes may lack a position, their block has one.
    private func noteTooDeep(_ node: OpaquePointer) {
        guard firstTooDeep == nil else { return }
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 {
                firstTooDeep = (line, max(Int(cmark_node_get_start_column(candidate)), 1))
                return
            }
            current = cmark_node_parent(candidate)
        }
        firstTooDeep = (1, 1)
    }

    /// The words of a subtree, gathered with cmark's iterator rather than by recursion:
    /// what a too-deep part of a document still shows.
    private func flatText(of node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        func space() { if let last = text.last, last != " " { text += " " } }
        while true {
            let event = cmark_iter_next(iterator)
            guard event != CMARK_EVENT_DONE else { break }
            guard let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                text += literal(current)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                space()
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                if event == CMARK_EVENT_EXIT { space() }
            default:
                break
            }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
