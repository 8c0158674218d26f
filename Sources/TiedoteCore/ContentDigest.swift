import Crypto

/// A stable digest of text: the same text gives the same digest in every run and on every
/// machine (unlike `Hasher`), so journals and state files can compare what was sent.
public enum ContentDigest {
    /// The first 16 bytes of SHA-256 of the text's UTF-8, as 32 lowercase hex digits.
    public static func of(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
