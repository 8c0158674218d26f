import TiedoteCore

/// A target's maximum length for one field, counted the way the target counts.
public struct TextLimit: Sendable, Hashable {
    /// How a target measures text.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        /// User-perceived characters (Swift `Character`).
        case characters
        /// Unicode code points, as Python and Django count (`len(str)`).
        case unicodeScalars
        /// UTF-16 code units, as a web form's `maxlength` counts.
        case utf16
    }

    /// The largest allowed length.
    public var maximum: Int
    /// How the length is counted.
    public var unit: Unit

    /// Creates a limit.
    public init(_ maximum: Int, counting unit: Unit) {
        self.maximum = maximum
        self.unit = unit
    }

    /// The length of `text` in this limit's unit.
    public func length(of text: String) -> Int {
        switch unit {
        case .characters: text.count
        case .unicodeScalars: text.unicodeScalars.count
        case .utf16: text.utf16.count
        }
    }

    /// True when `text` fits.
    public func allows(_ text: String) -> Bool { length(of: text) <= maximum }

    /// An error at `position` when `text` is too long, naming the field and the target.
    public func check(
        _ text: String, field: String, target: String, at position: SourcePosition
    ) -> Diagnostic? {
        let length = length(of: text)
        guard length > maximum else { return nil }
        return .error(
            position,
            "\(field) is \(length) characters; \(target) takes at most \(maximum): shorten it by \(length - maximum)"
        )
    }
}
