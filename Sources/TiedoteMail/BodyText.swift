/// The text of one body part, as runs: text that many messages share, encoded once
/// (`SharedText`), and the message's own strings between them.
///
/// Its wire form is exactly the quoted-printable encoding of the joined text; only the shared
/// runs' whole lines are taken as they were encoded, so a send pays per message for its own
/// strings and the lines they stand in.
public struct BodyText: Sendable, Hashable {
    /// One run of the text.
    public enum Run: Sendable, Hashable {
        /// Text shared with other messages.
        case shared(SharedText)
        /// This message's own text.
        case text(String)
    }

    /// The runs, in order.
    public var runs: [Run]

    /// A body of one run of the message's own text.
    public init(_ text: String) {
        runs = [.text(text)]
    }

    /// A body of runs.
    public init(runs: [Run]) {
        self.runs = runs
    }

    /// The whole text.
    public var string: String {
        var whole = ""
        for run in runs {
            switch run {
            case .shared(let shared): whole += shared.text
            case .text(let text): whole += text
            }
        }
        return whole
    }

    /// How many bytes are encoded with each message (own text, and the shared runs' first and
    /// last lines): the most the encoder holds at once.
    var unsharedCount: Int {
        runs.reduce(0) { total, run in
            switch run {
            case .shared(let shared): total + shared.unsharedCount
            case .text(let text): total + text.utf8.count
            }
        }
    }

    /// An upper bound on the encoded size: the shared runs as encoded, and every stretch
    /// encoded per message within `QuotedPrintable.maxEncodedCount` (one stretch more than
    /// there are runs at most).
    var maxEncodedCount: Int {
        let shared = runs.reduce(0) { total, run in
            if case .shared(let shared) = run { return total + shared.encoded.count }
            return total
        }
        return shared + QuotedPrintable.maxEncodedCount(unsharedCount) + 8 * runs.count
    }

    /// Equal when the whole texts are, however they are cut into runs.
    public static func == (lhs: BodyText, rhs: BodyText) -> Bool { lhs.string == rhs.string }

    /// Hashes the whole text.
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }
}
