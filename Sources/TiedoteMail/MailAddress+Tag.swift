extension MailAddress {
    /// `local+tag@domain` of this address (a VERP return path): `tag` must be lower-case ASCII
    /// letters and digits, so the result is a valid address without validating it again
    /// (the send makes one per message).
    public func tagged(_ tag: String) throws(MailError) -> MailAddress {
        guard !tag.isEmpty, tag.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) else {
            throw MailError(.invalidAddress, "an address tag must be lower-case letters and digits, not \(MailAddress.visible(tag))")
        }
        guard let at = value.lastIndex(of: "@") else { throw MailError(.invalidAddress, "\(value) has no @") }
        let local = value[..<at]
        // RFC 5321's limit on a local part; some servers refuse longer ones.
        guard local.utf8.count + 1 + tag.utf8.count <= 64 else {
            throw MailError(.invalidAddress, "\(local)+\(tag) is longer than the 64 characters a local part may have: use a shorter return path")
        }
        return MailAddress(tagged: String(local) + "+" + tag + String(value[at...]))
    }

    /// An address already known to be valid.
    private init(tagged value: String) {
        self.value = value
    }
}
