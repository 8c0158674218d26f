extension MIMEMessage {
    /// Checks every header value; throws `MailError.invalidHeader` naming the header when a
    /// value has a line break or another control character that could inject headers.
    public func validate() throws(MailError) {
        try Self.checkText(from.name, header: "From (display name)")
        try Self.checkText(to.name, header: "To (display name)")
        try Self.checkText(subject, header: "Subject")
        try Self.checkToken(messageID, header: "Message-ID")
        let ats = messageID.withBytes { bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "@") ? 1 : 0) } }
        guard ats == 1, messageID.utf8.first != UInt8(ascii: "@"), messageID.utf8.last != UInt8(ascii: "@") else {
            throw MailError(.invalidHeader, "Message-ID \(MailAddress.visible(messageID)) needs the form left@right")
        }
        if let list {
            try Self.checkText(list.title, header: "List-Id (list title)")
            try Self.checkToken(list.id, header: "List-Id")
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
    func headerBytes() throws(MailError) -> [UInt8] {
        try headerBytes(boundary: boundary)
    }

    private static let textPartHeader = Array(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
    private static let htmlPartHeader = Array(
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)

    private func headerBytes(boundary: String) throws(MailError) -> [UInt8] {
        try validate()
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        func name(_ text: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func crlf() { out.append(contentsOf: [13, 10]) }
        func mailbox(_ mailbox: Mailbox, column: Int) {
            var column = column
            if !mailbox.name.isEmpty {
                column = EncodedWord.appendPhrase(mailbox.name, column: column, to: &out)
                let addressWidth = mailbox.address.value.utf8.count + 3
                if column + addressWidth > EncodedWord.lineLimit {
                    out.append(contentsOf: [13, 10])
                }
                out.append(32)
                out.append(UInt8(ascii: "<"))
                out.append(contentsOf: mailbox.address.value.utf8)
                out.append(UInt8(ascii: ">"))
            } else {
                out.append(contentsOf: mailbox.address.value.utf8)
            }
            crlf()
        }
        name("Date: ")
        MailDate.append(date, to: &out)
        crlf()
        name("From: ")
        mailbox(from, column: 6)
        if let replyTo {
            name("Reply-To: ")
            out.append(contentsOf: replyTo.value.utf8)
            crlf()
        }
        name("To: ")
        mailbox(to, column: 4)
        name("Subject: ")
        EncodedWord.appendUnstructured(subject, column: 9, to: &out)
        crlf()
        name("Message-ID: <")
        out.append(contentsOf: messageID.utf8)
        out.append(UInt8(ascii: ">"))
        crlf()
        if let list {
            name("List-Id: ")
            mailbox(Mailbox(name: list.title, address: MailAddress(unchecked: list.id)), column: 9)
            var targets: [String] = []
            if let mailto = list.unsubscribeMailto { targets.append("<\(mailto)>") }
            if let url = list.unsubscribeURL { targets.append("<\(url)>") }
            if !targets.isEmpty {
                name("List-Unsubscribe: ")
                out.append(contentsOf: targets.joined(separator: ",\r\n ").utf8)
                crlf()
            }
            if list.unsubscribeURL != nil {
                name("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
                crlf()
            }
        }
        name("MIME-Version: 1.0")
        crlf()
        name("Content-Type: multipart/alternative;")
        crlf()
        out.append(contentsOf: " boundary=\"\(boundary)\"".utf8)
        crlf()
        return out
    }

    /// The whole message as 7-bit bytes with CRLF line ends, ready for SMTP DATA (unstuffed:
    /// libcurl does the dot-stuffing) or a Maildir file.
    public func encoded() throws(MailError) -> [UInt8] {
        let boundaryText = boundary
        let headers = try headerBytes(boundary: boundaryText)
        let boundary = Array(boundaryText.utf8)
        let textPart = Self.textPartHeader
        let htmlPart = Self.htmlPartHeader
        let capacity = headers.count + 3 * boundary.count + textPart.count + htmlPart.count + 32
            + textBody.maxEncodedCount + htmlBody.maxEncodedCount
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
    @inline(__always) func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        var copy = self
        return try copy.withUTF8(body)
    }
}
