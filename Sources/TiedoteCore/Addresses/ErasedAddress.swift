/// The form an address takes once `forget` has erased it: `sha256:SALT:HEX`, a salted
/// SHA-256 of the address key. Suppression rows and journals hold it in place of the address;
/// anything that reads either must tell it from an address without being able to reverse it.
public enum ErasedAddress {
    /// The salt and the lower-case hex digest of an erased address; nil for anything else.
    public static func parts(_ text: String) -> (salt: String, hex: String)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sha256", !parts[1].isEmpty, parts[2].count == 64,
            parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        return (String(parts[1]), parts[2].lowercased())
    }

    /// True when `text` has the form of an erased address.
    public static func isErased(_ text: String) -> Bool { parts(text) != nil }
}
