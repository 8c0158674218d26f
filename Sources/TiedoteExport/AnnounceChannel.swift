import TiedoteCore

/// The quick channels `tiedote announce` writes for, each with its template and rules.
public enum AnnounceChannel: String, Sendable, Hashable, CaseIterable {
    /// WhatsApp groups: `*bold*` title, when, where, link.
    case whatsapp
    /// LinkedIn groups: plain text with hashtags.
    case linkedin
    /// Plain text for pasting anywhere.
    case text

    /// The template's path inside the workspace.
    public var templatePath: String { "Templates/announce-\(rawValue).md" }

    /// The channel's name in messages.
    public var displayName: String {
        switch self {
        case .whatsapp: "WhatsApp"
        case .linkedin: "LinkedIn"
        case .text: "plain text"
        }
    }

    /// The longest message the channel takes well, in characters as a person counts them.
    public var limit: TextLimit? {
        switch self {
        case .whatsapp: TextLimit(700, counting: .characters)
        case .linkedin: TextLimit(1300, counting: .characters)
        case .text: nil
        }
    }

    /// False where Markdown in the template would show as literal stars and brackets.
    public var allowsMarkdown: Bool { self != .linkedin }

    /// How many of the event's tags become hashtags.
    public static let maximumHashtags = 3
}
