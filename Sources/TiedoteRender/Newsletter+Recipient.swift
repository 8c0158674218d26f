import TiedoteCore

extension Newsletter {
    /// One recipient's own strings, as they are spliced into a variant, and what picks the
    /// variant.
    public struct Recipient: Sendable {
        /// The strings, indexed by `PersonalisedPieces.Slot.rawValue`.
        let strings: [String]
        /// The home municipality, which picks the local events.
        let municipality: Municipality?

        /// A subscriber's strings, with their signed unsubscribe link (empty when there is none).
        public init(_ subscriber: Subscriber, unsubscribeURL: String) {
            var strings = [String](repeating: "", count: PersonalisedPieces.Slot.allCases.count)
            strings[PersonalisedPieces.Slot.name.rawValue] = subscriber.name
            strings[PersonalisedPieces.Slot.firstName.rawValue] = subscriber.firstName
            strings[PersonalisedPieces.Slot.email.rawValue] = subscriber.email
            strings[PersonalisedPieces.Slot.unsubscribeURL.rawValue] = unsubscribeURL
            self.init(strings: strings, municipality: subscriber.municipality)
        }

        init(strings: [String], municipality: Municipality?) {
            self.strings = strings
            self.municipality = municipality
        }

        /// The string for `slot`.
        subscript(slot: PersonalisedPieces.Slot) -> String { strings[slot.rawValue] }

        /// The variant this recipient's newsletter is spliced from.
        public var variant: Variant {
            var empty: UInt8 = 0
            for (index, string) in strings.enumerated() where string.isEmpty { empty |= 1 << index }
            return Variant(empty: empty, municipality: municipality)
        }
    }

    /// What decides a document's structure: which of the recipient's strings are empty, and
    /// the municipality that picks the local events.
    public struct Variant: Hashable, Sendable {
        /// One bit per slot, set when the string is empty.
        let empty: UInt8
        let municipality: Municipality?
    }
}
