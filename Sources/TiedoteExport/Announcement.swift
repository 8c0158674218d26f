import TiedoteCore
import TiedoteRender

/// One event as a short message for a quick channel, from `Templates/announce-CHANNEL.md`.
public struct Announcement: Sendable {
    /// The rendered message and what is wrong with it.
    public struct Result: Sendable, Hashable {
        /// The message, trailing space and extra blank lines removed.
        public var text: String
        /// Broken channel rules (length, Markdown): errors mean the message should not be used.
        public var diagnostics: [Diagnostic]
        /// True when no diagnostic is an error.
        public var passed: Bool { !diagnostics.contains { $0.severity == .error } }
    }

    /// The channel.
    public var channel: AnnounceChannel
    /// The channel's parsed template.
    public var template: Template

    /// Creates an announcement writer from a parsed template.
    public init(channel: AnnounceChannel, template: Template) {
        self.channel = channel
        self.template = template
    }

    /// The template's keys for one event: the newsletter's per-event keys (`title`, `when`,
    /// `place`, `short`, `registration`, …) plus `network` and `hashtags`.
    public static func context(for event: Event, settings: Settings) -> TemplateValue {
        guard case var .object(keys) = NewsletterContext.event(event) else { return NewsletterContext.event(event) }
        keys["network"] = NewsletterContext.network(settings.network)
        keys["hashtags"] = .list(hashtags(from: event.tags).map(TemplateValue.string))
        return .object(keys)
    }

    /// Up to three `#tags` from the event's tags, each once, with only letters, digits and `_`
    /// kept (a hashtag ends at the first other character).
    public static func hashtags(from tags: [String]) -> [String] {
        var result: [String] = []
        for tag in tags {
            let word = String(tag.filter { $0.isLetter || $0.isNumber || $0 == "_" })
            guard !word.isEmpty else { continue }
            let hashtag = "#" + word
            if !result.contains(where: { $0.lowercased() == hashtag.lowercased() }) { result.append(hashtag) }
            if result.count == AnnounceChannel.maximumHashtags { break }
        }
        return result
    }

    /// Renders the message for `event` and checks it against the channel's rules.
    /// Throws the template's own errors (an unknown placeholder) as a `Diagnostic`.
    public func render(_ event: Event, settings: Settings) throws -> Result {
        let context = Self.context(for: event, settings: settings)
        let text = Self.tidy(try template.render(context, escaping: .none))
        var diagnostics: [Diagnostic] = []
        if let limit = channel.limit, !limit.allows(text) {
            let length = limit.length(of: text)
            diagnostics.append(
                .error(
                    event.position(of: "short"),
                    "the \(channel.displayName) announcement is \(length) characters; \(channel.displayName) takes at most \(limit.maximum): shorten 'short' or \(template.path) by \(length - limit.maximum)"
                ))
        }
        if !channel.allowsMarkdown {
            // Only the template's own text is checked: event values print as written, so a
            // title with `*` in it shows its `*` on every channel.
            let skeleton = Self.tidy(try template.render(Self.neutralized(context), escaping: .none))
            for (index, line) in skeleton.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let marker = Self.markdownMarker(in: String(line)) {
                    diagnostics.append(
                        .error(
                            SourcePosition(path: template.path),
                            "line \(index + 1) of the \(channel.displayName) announcement has Markdown ('\(marker)'), which \(channel.displayName) shows as is: remove it from the template"
                        ))
                }
            }
        }
        return Result(text: text, diagnostics: diagnostics)
    }

    /// The context with every non-empty string replaced by a plain word, so that rendering
    /// it shows the template's own text and takes the same sections.
    static func neutralized(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case let .string(text): .string(text.isEmpty ? "" : "arvo")
        case let .list(items): .list(items.map(neutralized))
        case let .object(members): .object(members.mapValues(neutralized))
        case .bool, .null: value
        }
    }

    /// Lines without trailing space, at most one blank line in a row, none at either end,
    /// and a final newline.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for line in text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Markdown a line shows literally on a plain-text channel, or nil: emphasis markers,
    /// links, code, headings and quotes. List dashes are left alone: they read as plain text.
    static func markdownMarker(in line: String) -> String? {
        for marker in ["**", "__", "`", "]("] where line.contains(marker) { return marker }
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("#") && trimmed.drop(while: { $0 == "#" }).first == " " { return "#" }
        if trimmed.hasPrefix("> ") { return ">" }
        // `*word*` or `_word_`: a marker right before a letter and again right after one.
        for marker: Character in ["*", "_"] {
            let characters = Array(line)
            var opened = false
            for (index, character) in characters.enumerated() where character == marker {
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if !opened, before.isWhitespace || before.isPunctuation, after.isLetter || after.isNumber {
                    opened = true
                } else if opened, before.isLetter || before.isNumber || before.isPunctuation,
                    after.isWhitespace || after.isPunctuation
                {
                    return String(marker)
                }
            }
        }
        return nil
    }
}
