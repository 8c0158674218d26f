/// One row of `Lists/NAME.csv`.
public struct Subscriber: Sendable, Hashable, Codable {
    /// The address, as written (compared case-insensitively).
    public var email: String
    /// Full name, may be empty. A tab in it (pasted from a spreadsheet) is kept as a space: to
    /// every reader it is one, and as a tab the spliced render kept it while Markdown made some
    /// of them spaces, so one recipient's two renders differed
    /// (SendPlanTests.generatedRecipientsGetTheBytesOfThePlainPath).
    public var name: String {
        didSet { if let clean = Self.tabsAsSpaces(name) { name = clean } }
    }
    /// Home municipality, when given.
    public var municipality: Municipality?
    /// Interests (`tanssi`, `teatteri`), from a `;`-separated column.
    public var interests: [String]
    /// Preferred language code (`fi`).
    public var language: String
    /// Where consent was given (`lomake`, `tapahtuma`).
    public var consentSource: String
    /// When consent was given, as written (ISO date or date-time).
    public var consentedAt: String
    /// Where the row stands in its file.
    public var position: SourcePosition?

    /// Creates a subscriber.
    public init(
        email: String, name: String = "", municipality: Municipality? = nil, interests: [String] = [],
        language: String = "fi", consentSource: String = "", consentedAt: String = "",
        position: SourcePosition? = nil
    ) {
        self.email = email
        // Property observers do not run in an initialiser: the same rule as `name`'s `didSet`.
        self.name = Self.tabsAsSpaces(name) ?? name
        self.municipality = municipality
        self.interests = interests
        self.language = language
        self.consentSource = consentSource
        self.consentedAt = consentedAt
        self.position = position
    }

    /// The address lower-cased: the key for deduplication and suppression.
    public var key: String { Subscriber.key(email) }

    /// `text` with its tabs as spaces; nil when it has none (the common case, one byte scan).
    private static func tabsAsSpaces(_ text: String) -> String? {
        text.utf8.contains(9) ? text.replacingOccurrences(of: "\t", with: " ") : nil
    }

    /// The first word of the name ("Aino" of "Aino Mäkelä"), or empty.
    public var firstName: String {
        // The trimmed name starts with a word: the text up to its first space.
        String(name.trimmingSpaces.prefix { $0 != " " })
    }

    /// The comparison key of any address.
    public static func key(_ email: String) -> String { email.trimmingSpaces.lowercased() }

    /// A column of a list file: the one list its header line, its reader and its errors use.
    public enum Column: String, Sendable, CaseIterable {
        case email, name, municipality, interests, language
        case consentSource = "consent_source"
        case consentedAt = "consented_at"
    }

    /// The list file's columns, in order.
    public static let columns = Column.allCases.map(\.rawValue)
}

/// One row of `Lists/suppressed.csv`: an address that is never mailed.
public struct Suppression: Sendable, Hashable, Codable {
    /// Why the address is suppressed.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case unsubscribed
        case bounced
        case complaint
        case forgotten
    }

    /// The address lower-cased, or for `forgotten` a salted hash (`sha256:SALT:HEX`).
    public var email: String
    /// Why.
    public var reason: Reason
    /// When, as ISO 8601 UTC text.
    public var at: String

    /// Creates a suppression row.
    public init(email: String, reason: Reason, at: String) {
        self.email = email
        self.reason = reason
        self.at = at
    }

    /// A column of `Lists/suppressed.csv`: the one list its header line, reader and errors use.
    public enum Column: String, Sendable, CaseIterable {
        case email, reason, at
    }

    /// The file's columns, in order.
    public static let columns = Column.allCases.map(\.rawValue)
}
