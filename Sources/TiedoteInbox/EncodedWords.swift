/// RFC 2047 encoded words (`=?utf-8?Q?Poissa_toimistolta?=`) in header values, decoded.
enum EncodedWords {
    /// `raw` with every well-formed encoded word decoded; white space between two adjacent
    /// encoded words dropped (RFC 2047 §6.2); anything malformed left as written.
    static func decode(_ raw: String) -> String {
        guard raw.contains("=?") else { return raw }
        var result = ""
        var pendingSpace = ""
        var lastWasEncoded = false
        var rest = Substring(raw)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (decoded, after) = word(rest) {
                // Space between two encoded words is folding, not text.
                if !lastWasEncoded { result += pendingSpace }
                pendingSpace = ""
                result += decoded
                rest = after
                lastWasEncoded = true
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" {
                pendingSpace.append(character)
                continue
            }
            result += pendingSpace
            pendingSpace = ""
            result.append(character)
            lastWasEncoded = false
        }
        return result + pendingSpace
    }

    /// One encoded word at the start of `text` and the text after it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        // =?charset?enc?payload?= with no spaces inside; at most 200 characters looked at.
        let body = text.dropFirst(2)
        guard let q1 = body.prefix(80).firstIndex(of: "?") else { return nil }
        let charset = body[..<q1]
        let afterCharset = body[body.index(after: q1)...]
        guard afterCharset.count > 2, let encoding = afterCharset.first,
            afterCharset.dropFirst().first == "?"
        else { return nil }
        let payloadStart = afterCharset.dropFirst(2)
        guard let end = payloadStart.prefix(400).range(of: "?=") else { return nil }
        let payload = payloadStart[..<end.lowerBound]
        guard !payload.contains(" "), !charset.isEmpty else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b": bytes = TransferDecoding.base64(payload.utf8)
        case "Q", "q": bytes = TransferDecoding.quotedPrintable(payload.utf8, underscoreIsSpace: true)
        default: return nil
        }
        // RFC 2231 language suffix: `utf-8*fi`.
        let name = charset.split(separator: "*").first.map(String.init)
        return (Charset.decode(bytes, charset: name), payloadStart[end.upperBound...])
    }
}
