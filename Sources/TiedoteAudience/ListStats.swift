import TiedoteCore

/// `tiedote lists stats`: who is on a list, by municipality, interest and language.
public struct ListStats: Sendable {
    /// The list name.
    public var list: String
    /// Rows in the list file.
    public var subscribers = 0
    /// Of those, addresses on the suppression list (never mailed).
    public var suppressed = 0
    /// Of the rest, those the segment selects: the recipients of a send.
    public var recipients = 0
    /// Recipients by municipality; nil counts those without one.
    public var byMunicipality: [Municipality?: Int] = [:]
    /// Recipients by interest (lower-cased).
    public var byInterest: [String: Int] = [:]
    /// Recipients by language code.
    public var byLanguage: [String: Int] = [:]
    /// The segment counted.
    public var segment: Segment

    /// Counts list `list` of `workspace`, streaming through it.
    public init(list: String, in workspace: Workspace, segment: Segment = Segment()) throws {
        self.list = list
        self.segment = segment
        let suppressions = try workspace.suppressions()
        var counts = self
        try workspace.forEachSubscriber(list: list) { subscriber in
            counts.count(subscriber, suppressed: suppressions.contains(subscriber.email))
        }
        self = counts
    }

    mutating func count(_ subscriber: Subscriber, suppressed isSuppressed: Bool) {
        subscribers += 1
        if isSuppressed {
            suppressed += 1
            return
        }
        guard segment.matches(subscriber) else { return }
        recipients += 1
        byMunicipality[subscriber.municipality, default: 0] += 1
        for interest in Set(subscriber.interests.map { $0.lowercased() }) { byInterest[interest, default: 0] += 1 }
        byLanguage[subscriber.language, default: 0] += 1
    }

    /// The report as text lines.
    public var lines: [String] {
        var lines = ["\(list): \(subscribers) subscribers, \(suppressed) suppressed, "
            + "\(recipients) recipient\(recipients == 1 ? "" : "s")"
            + (segment.isEveryone ? "" : " in segment \(segment)")]
        let width = Municipality.keskiSuomi.map(\.rawValue.count).max() ?? 12
        lines.append("By municipality:")
        for municipality in Municipality.keskiSuomi {
            let count = byMunicipality[municipality] ?? 0
            lines.append("  " + municipality.rawValue.padding(to: width) + " " + String(count).leftPadded(to: 6))
        }
        lines.append("  " + "(none)".padding(to: width) + " " + String(byMunicipality[nil] ?? 0).leftPadded(to: 6))
        if !byInterest.isEmpty {
            let interests = byInterest.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            lines.append("By interest: " + interests.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !byLanguage.isEmpty {
            lines.append("By language: " + byLanguage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return lines
    }
}
