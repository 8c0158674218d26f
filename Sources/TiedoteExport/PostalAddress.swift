import TiedoteCore

/// An event's address split into street, postal code and locality
/// (`"Street 1, 40100 Jyväskylä"` → `Street 1` / `40100` / `Jyväskylä`).
public struct PostalAddress: Sendable, Hashable {
    /// The street part; nil when the address has only a postal code and locality.
    public var street: String?
    /// The five-digit Finnish postal code, when the address has one.
    public var postalCode: String?
    /// The post office or municipality.
    public var locality: String

    /// Creates an address.
    public init(street: String?, postalCode: String?, locality: String) {
        self.street = street
        self.postalCode = postalCode
        self.locality = locality
    }

    /// Splits `address` at its last `, NNNNN Locality` part; without one, the whole address is
    /// the street and `municipality` is the locality.
    public init(address: String?, municipality: Municipality) {
        let fallbackLocality = municipality.isOnline ? "" : municipality.rawValue
        guard let address = address?.trimmingSpaces, !address.isEmpty else {
            self.init(street: nil, postalCode: nil, locality: fallbackLocality)
            return
        }
        var parts = address.split(separator: ",", omittingEmptySubsequences: true).map(\.trimmingSpaces)
        if let last = parts.last, let (code, locality) = Self.postalCodeAndLocality(last) {
            parts.removeLast()
            let street = parts.joined(separator: ", ")
            self.init(street: street.isEmpty ? nil : street, postalCode: code, locality: locality)
        } else {
            self.init(street: address, postalCode: nil, locality: fallbackLocality)
        }
    }

    /// `40100 Jyväskylä` → (`40100`, `Jyväskylä`).
    static func postalCodeAndLocality(_ text: String) -> (String, String)? {
        let code = text.prefix { $0.isASCII && $0.isNumber }
        guard code.count == 5 else { return nil }
        let locality = text.dropFirst(5).trimmingSpaces
        guard !locality.isEmpty, text.dropFirst(5).first?.isWhitespace == true else { return nil }
        return (String(code), locality)
    }
}
