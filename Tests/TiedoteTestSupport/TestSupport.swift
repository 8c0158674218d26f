import TiedoteCore

// Helpers that more than one test target needs: a test target cannot import another, so
// they live in this small library that only test targets depend on.

/// The smallest valid `tiedote.yml`, for tests that need settings but test something else.
public enum MinimalSettings {
    /// The settings file's text.
    public static let text = """
        network:
          name: Verkosto
          domain: verkosto.example.fi
        coordinators:
          - id: humak
            name: Humak
            email: a@humak.example.fi
        rotation:
          order: [humak]
          first_month: 2026-09
          months_per_turn: 4
        categories: [Tuottajakahvit]
        """

    /// The parsed settings.
    public static func settings() throws -> Settings { try Settings.parse(text) }
}

/// A small seeded generator, so a failure can be run again.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next number of the sequence.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// White space trimming as it was before its ASCII shortcut (every scalar's property looked
/// up), the reference for `trimmingSpaces`.
public enum ReferenceTrimming {
    /// `text` without white space at either end, by Unicode properties only.
    public static func trimmingSpaces(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
