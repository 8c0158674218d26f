import Testing
import TiedoteTestSupport
@testable import TiedoteMail

/// The byte shortcuts of libcurl's debug callback against the same questions asked of text:
/// which command a line starts with (`commandWord`: four bytes as one number, upper-cased by
/// clearing bit 5) and whether a reply line is a final one (`finalReplyCode`).
struct CurlFastPathTests {
    /// The full path: the line's first four bytes as text, upper-cased when they are all
    /// ASCII, looked up by name.
    static func commandByText(_ line: [UInt8]) -> String? {
        guard line.count >= 4, line.prefix(4).allSatisfy({ $0 < 0x80 }) else { return nil }
        let word = String(decoding: line.prefix(4), as: UTF8.self).uppercased()
        return [
            "EHLO": "EHLO", "HELO": "HELO", "STAR": "STARTTLS", "AUTH": "AUTH", "MAIL": "MAIL FROM",
            "RCPT": "RCPT TO", "DATA": "DATA", "QUIT": "QUIT", "RSET": "RSET", "NOOP": "NOOP",
        ][word]
    }

    /// The full path: the first three characters read as a number when they are digits and
    /// what follows them (if anything) is a space or a line end.
    static func replyCodeByText(_ line: [UInt8]) -> Int? {
        let text = String(decoding: line, as: UTF8.self)
        let digits = text.unicodeScalars.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) else { return nil }
        if line.count > 3, ![" ", "\r", "\n"].contains(Character(UnicodeScalar(line[3]))) { return nil }
        return Int(String(String.UnicodeScalarView(digits)))
    }

    /// Lines near the commands and replies libcurl sees: a real word in any case with a byte
    /// changed now and then (to its case twin, a neighbour, a high byte), cut short or not.
    static func line(_ random: inout SplitMix64) -> [UInt8] {
        let starts = ["EHLO x", "HELO", "STARTTLS", "AUTH PLAIN", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "QUIT",
                      "RSET", "NOOP", "250 OK", "250-PIPELINING", "354 go", "221", "55", "4211", "ABC ", "", "`@[{"]
        var bytes = Array(starts[Int(random.next() % UInt64(starts.count))].utf8)
        for index in bytes.indices where random.next() % 2 == 0 { bytes[index] ^= 0x20 }
        if !bytes.isEmpty && random.next() % 3 == 0 {
            let index = Int(random.next() % UInt64(bytes.count))
            let changes: [UInt8] = [bytes[index] ^ 0x20, bytes[index] &+ 1, bytes[index] | 0x80, 0, 0xDF, 0xFF]
            bytes[index] = changes[Int(random.next() % UInt64(changes.count))]
        }
        if random.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(random.next() % 6))) }
        if random.next() % 2 == 0 { bytes += [13, 10] }
        return bytes
    }

    @Test func commandWordNamesWhatTheTextNames() {
        var random = SplitMix64(seed: 0xC0DE)
        for _ in 0..<20_000 {
            let bytes = Self.line(&random)
            #expect(
                CurlSMTPConnection.commandNames[CurlSMTPConnection.commandWord(bytes)] == Self.commandByText(bytes),
                "\(bytes)")
        }
    }

    @Test func finalReplyCodeReadsWhatTheTextSays() {
        var random = SplitMix64(seed: 0x250)
        for _ in 0..<20_000 {
            let bytes = Self.line(&random)
            #expect(CurlSMTPConnection.finalReplyCode(bytes) == Self.replyCodeByText(bytes), "\(bytes)")
        }
    }
}
