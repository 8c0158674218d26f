import CCmark
import Foundation

/// A CommonMark document parsed by cmark, ready to become email HTML and plain text.
public struct MarkdownDocument: Sendable {
    /// The document's blocks as Swift values; cmark's C tree is freed right after parsing.
    let blocks: [MarkdownBlock]

    /// Parses `markdown` as CommonMark.
    public init(_ markdown: String) {
        blocks = CmarkTree(parsing: markdown).blocks()
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
private final class CmarkTree {
    let root: OpaquePointer?

    init(parsing markdown: String) {
        let bytes = Array(markdown.utf8)
        root = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
            }
        }
    }

    deinit {
        if let root { cmark_node_free(root) }
    }

    /// The document's children as Swift blocks.
    func blocks() -> [MarkdownBlock] {
        guard let root else { return [] }
        return children(of: root).compactMap(block)
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

    private func block(_ node: OpaquePointer) -> MarkdownBlock? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(inlines(of: node))
        case CMARK_NODE_HEADING:
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(of: node))
        case CMARK_NODE_BLOCK_QUOTE:
            return .blockQuote(children(of: node).compactMap(block))
        case CMARK_NODE_LIST:
            let items = children(of: node).map { children(of: $0).compactMap(block) }
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

    private func inlines(of node: OpaquePointer) -> [MarkdownInline] {
        children(of: node).compactMap(inline)
    }

    private func inline(_ node: OpaquePointer) -> MarkdownInline? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return .text(literal(node))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(literal(node))
        case CMARK_NODE_HTML_INLINE, CMARK_NODE_CUSTOM_INLINE: return .html(literal(node))
        case CMARK_NODE_EMPH: return .emphasis(inlines(of: node))
        case CMARK_NODE_STRONG: return .strong(inlines(of: node))
        case CMARK_NODE_LINK: return .link(url: url(node), title: title(node), inlines(of: node))
        case CMARK_NODE_IMAGE: return .image(url: url(node), title: title(node), inlines(of: node))
        default: return nil
        }
    }

    private func url(_ node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    private func title(_ node: OpaquePointer) -> String {
        cmark_node_get_title(node).map { String(cString: $0) } ?? ""
    }
}
