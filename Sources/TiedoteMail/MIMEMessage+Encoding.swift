extension MIMEMessage {
    /// Checks every header value; throws `MailError.invalidHeader` naming the header when a
    /// value has a line break or another control character that could inject headers.
    public func validate() throws(MailError) {
        try validateShared()
        try validatePersonal()
    }

    /// The checks of the values a send shares (sender, subject, list title).
    func validateShared() throws(MailError) {
        try Self.checkText(from.name, header: "From (display name)")
        try Self.checkText(subject, header: "Subject")
        if let list {
            try Self.checkText(list.title, header: "List-Id (list title)")
            try Self.checkToken(list.id, header: "List-Id")
        }
    }

    /// The checks of each recipient's own values.
    func validatePersonal() throws(MailError) {
        try Self.checkText(to.name, header: "To (display name)")
        try Self.checkToken(messageID, header: "Message-ID")
        let ats = messageID.withBytes { bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "@") ? 1 : 0) } }
        guard ats == 1, messageID.utf8.first != UInt8(ascii: "@"), messageID.utf8.last != UInt8(ascii: "@") else {
            throw MailError(.invalidHeader, "Message-ID \(MailAddress.visible(messageID)) needs the form left@right")
        }
        guard let list else { return }
        if let mailto = list.unsubscribeMailto {
            try Self.checkToken(mailto, header: "List-Unsubscribe")
            guard mailto.hasPrefix("mailto:"), mailto.utf8.contains(UInt8(ascii: "@")) else {
                throw MailError(.invalidHeader, "List-Unsubscribe \(MailAddress.visible(mailto)) must be a mailto: address")
            }
        }
        if let url = list.unsubscribeURL {
            try Self.checkToken(url, header: "List-Unsubscribe")
            guard url.hasPrefix("https://") else {
                throw MailError(.invalidHeader, "List-Unsubscribe URL \(MailAddress.visible(url)) must start with https://")
            }
        }
    }

    /// Checks text meant for a header (a display name, a subject) before any message is built:
    /// throws `MailError.invalidHeader` for a line break or another control character.
    public static func checkHeaderText(_ value: String, header: String) throws(MailError) {
        try checkText(value, header: header)
    }

    /// Unicode text for a header: anything but control characters (a tab is allowed).
    static func checkText(_ value: String, header: String) throws(MailError) {
        // Control characters are single bytes in UTF-8, so a byte scan finds them all.
        let bad = value.withBytes { bytes in bytes.first { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F } }
        if let byte = bad {
            let what = byte == 0x0D || byte == 0x0A ? "a line break" : "a control character"
            throw MailError(.invalidHeader, "\(header) \(MailAddress.visible(value)) contains \(what); remove it")
        }
    }

    /// A printable ASCII token without spaces or angle brackets (ids, URLs).
    static func checkToken(_ value: String, header: String) throws(MailError) {
        try checkText(value, header: header)
        let ok = !value.isEmpty && value.withBytes { bytes in
            bytes.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        }
        guard ok else {
            throw MailError(.invalidHeader, "\(header) \(MailAddress.visible(value)) must be printable ASCII without spaces or angle brackets")
        }
    }

    /// The MIME boundary: `=_` can never occur in quoted-printable text, so the boundary
    /// cannot collide with a body line.
    var boundary: String { "=_tiedote_" + Self.hex16(Self.fnv1a64(messageID.utf8)) }

    /// The header block, CRLF-terminated lines, without the blank line after it.
    func headerBytes(sharing shared: SharedHeaders? = nil) throws(MailError) -> [UInt8] {
        try headerBytes(boundary: boundary, sharing: shared)
    }

    private static let textPartHeader = Array(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
    private static let htmlPartHeader = Array(
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)

    /// The header block: the lines every message of a send shares (from `shared` when it was
    /// made for the same values, else written here), then the recipient's own.
    private func headerBytes(boundary: String, sharing shared: SharedHeaders?) throws(MailError) -> [UInt8] {
        var writer = HeaderWriter()
        if let shared, shared.fits(self) {
            writer.appendLines(shared.bytes)
        } else {
            try validateShared()
            try writeShared(to: &writer)
        }
        try validatePersonal()
        writer.begin("To")
        writer.mailbox(to)
        try writer.end()
        writer.begin("Message-ID")
        writer.angleToken(messageID)
        try writer.end()
        if let list, list.unsubscribeMailto != nil || list.unsubscribeURL != nil {
            writer.begin("List-Unsubscribe")
            if let mailto = list.unsubscribeMailto { writer.angleToken(mailto, comma: list.unsubscribeURL != nil) }
            if let url = list.unsubscribeURL { writer.angleToken(url) }
            try writer.end()
            if list.unsubscribeURL != nil {
                writer.begin("List-Unsubscribe-Post")
                writer.token("List-Unsubscribe=One-Click")
                try writer.end()
            }
        }
        writer.begin("MIME-Version")
        writer.token("1.0")
        try writer.end()
        writer.begin("Content-Type")
        writer.token("multipart/alternative;")
        writer.token("boundary=\"\(boundary)\"")
        try writer.end()
        return writer.bytes
    }

    /// Date, From, Reply-To, Subject and List-Id: the same in every message of a send.
    func writeShared(to writer: inout HeaderWriter) throws(MailError) {
        writer.begin("Date")
        writer.date(date)
        try writer.end()
        writer.begin("From")
        writer.mailbox(from)
        try writer.end()
        if let replyTo {
            writer.begin("Reply-To")
            writer.token(replyTo.value)
            try writer.end()
        }
        writer.begin("Subject")
        writer.unstructured(subject)
        try writer.end()
        if let list {
            writer.begin("List-Id")
            writer.mailbox(Mailbox(name: list.title, address: MailAddress(unchecked: list.id)))
            try writer.end()
        }
    }

    /// The whole message as 7-bit bytes with CRLF line ends, ready for SMTP DATA (unstuffed:
    /// libcurl does the dot-stuffing) or a Maildir file.
    /// `shared` holds the header lines a send's messages have in common, written once; it is
    /// used only when made for this message's values.
    public func encoded(sharing shared: SharedHeaders? = nil) throws(MailError) -> [UInt8] {
        let boundaryText = boundary
        let headers = try headerBytes(boundary: boundaryText, sharing: shared)
        let boundary = Array(boundaryText.utf8)
        let textPart = Self.textPartHeader
        let htmlPart = Self.htmlPartHeader
        let capacity = headers.count + 3 * boundary.count + textPart.count + htmlPart.count + 32
            + textBody.maxEncodedCount + htmlBody.maxEncodedCount
        // Unsafe: bench "Render + MIME, sample issue" costs 16% more (184,700 → 214,000 instructions per message, callgrind) with Array indexing and appends (BENCHMARKS.md, "What changed").
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            var o = 0
            func put(_ bytes: [UInt8]) {
                bytes.withUnsafeBufferPointer { source in
                    guard let start = source.baseAddress else { return }
                    (base + o).update(from: start, count: source.count)
                }
                o += bytes.count
            }
            func put(_ a: UInt8, _ b: UInt8) {
                base[o] = a
                base[o + 1] = b
                o += 2
            }
            put(headers)
            put(13, 10)
            put(45, 45)
            put(boundary)
            put(13, 10)
            put(textPart)
            o += QuotedPrintable.encode(textBody, into: base + o)
            put(13, 10)
            put(45, 45)
            put(boundary)
            put(13, 10)
            put(htmlPart)
            o += QuotedPrintable.encode(htmlBody, into: base + o)
            put(13, 10)
            put(45, 45)
            put(boundary)
            put(45, 45)
            put(13, 10)
            count = o
        }
    }
}

extension MailAddress {
    /// Wraps text already known to be safe (a List-Id checked by `validate()`).
    init(unchecked value: String) { self.value = value }
}

extension String {
    /// Runs `body` over the UTF-8 bytes in place (native strings are contiguous, so this does
    /// not copy); much faster than walking `utf8` in the encoder's hot paths.
    // Unsafe: the encoders' byte view of a string, measured with the rest: bench "Render + MIME, sample issue" costs 16% more without the pointer paths.
    @inline(__always) func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        var copy = self
        return try copy.withUTF8(body)
    }
}
