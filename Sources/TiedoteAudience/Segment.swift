import TiedoteCore

/// A subset of a list: `municipality=Saarijärvi`, `interests=tanssi`, `language=sv`.
///
/// Several conditions all have to hold; one condition's comma-separated values are
/// alternatives (`municipality=Saarijärvi,Karstula`). Values compare case-insensitively.
public struct Segment: Sendable, Hashable, CustomStringConvertible {
    /// What a condition looks at.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case municipality
        case interests
        case language

        /// Finnish and singular spellings accepted on the command line.
        static let aliases: [String: Field] = [
            "municipality": .municipality, "kunta": .municipality,
            "interests": .interests, "interest": .interests, "kiinnostukset": .interests,
            "language": .language, "kieli": .language,
        ]
    }

    /// One `field=value[,value…]`.
    public struct Condition: Sendable, Hashable, CustomStringConvertible {
        /// The field.
        public var field: Field
        /// Accepted values (any one matches), as given.
        public var values: [String]

        /// `field=value,value`.
        public var description: String { "\(field.rawValue)=\(values.joined(separator: ","))" }

        /// True when `subscriber` has one of the values.
        public func matches(_ subscriber: Subscriber) -> Bool {
            let wanted = Set(values.map { $0.lowercased() })
            switch field {
            case .municipality:
                return subscriber.municipality.map { wanted.contains($0.rawValue.lowercased()) } ?? false
            case .interests:
                return subscriber.interests.contains { wanted.contains($0.trimmingSpaces.lowercased()) }
            case .language:
                return wanted.contains(subscriber.language.lowercased())
            }
        }
    }

    /// The conditions, all of which must hold; none means everyone.
    public var conditions: [Condition]

    /// Creates a segment.
    public init(_ conditions: [Condition] = []) { self.conditions = conditions }

    /// Parses command-line options (`--segment municipality=Saarijärvi --segment interests=tanssi`).
    public init(parsing options: [String]) throws {
        var conditions: [Condition] = []
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            let fields = Field.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2, !parts[1].isEmpty else {
                throw Diagnostic.error(nil, "--segment '\(option)' must be FIELD=VALUE, e.g. municipality=Saarijärvi (fields: \(fields))")
            }
            guard let field = Field.aliases[parts[0].lowercased()] else {
                throw Diagnostic.error(nil, "--segment: unknown field '\(parts[0])'; use one of \(fields)")
            }
            var values = parts[1].split(separator: ",").map(\.trimmingSpaces).filter { !$0.isEmpty }
            if field == .municipality {
                values = try values.map { value in
                    guard let municipality = Municipality(name: value), !municipality.isOnline else {
                        throw Diagnostic.error(
                            nil, "--segment: '\(value)' is not one of the 22 municipalities of Keski-Suomi")
                    }
                    return municipality.rawValue
                }
            }
            conditions.append(Condition(field: field, values: values))
        }
        self.init(conditions)
    }

    /// True when every condition holds for `subscriber`.
    public func matches(_ subscriber: Subscriber) -> Bool {
        conditions.allSatisfy { $0.matches(subscriber) }
    }

    /// True when the segment selects everyone.
    public var isEveryone: Bool { conditions.isEmpty }

    /// `municipality=Saarijärvi interests=tanssi`, or `everyone`.
    public var description: String {
        isEveryone ? "everyone" : conditions.map(\.description).joined(separator: " ")
    }
}
