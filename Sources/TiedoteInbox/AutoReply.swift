/// Out-of-office and other automatic replies (RFC 3834 and the headers clients use instead).
enum AutoReply {
    /// True when the headers say the message is an automatic reply.
    static func byHeaders(_ message: MIMEPart) -> Bool {
        if let value = message.header("Auto-Submitted")?.lowercased(), value.hasPrefix("auto-replied") { return true }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil { return true }
        if let precedence = message.header("Precedence")?.lowercased(), precedence.contains("auto_reply") { return true }
        return false
    }

    /// True when the subject reads like an out-of-office reply, in English, Finnish or Swedish.
    static func bySubject(_ message: MIMEPart) -> Bool {
        guard let subject = message.header("Subject")?.lowercased() else { return false }
        return subjectMarkers.contains { subject.contains($0) }
    }

    static let subjectMarkers = [
        "out of office", "out of the office", "automatic reply", "auto-reply", "autoreply", "auto reply",
        "vacation", "poissa toimistolta", "automaattinen vastaus", "lomalla", "lomaviesti", "poissaoloviesti",
        "frånvaro", "automatiskt svar", "abwesenheit",
    ]
}
