import Testing
@testable import TiedoteInbox

/// Hostile and broken input: no crash, nothing guessed.
struct InjectionTests {
    @Test func tenThousandRecipientsInOneReportAreEachClassified() throws {
        var report = "Reporting-MTA: dns; mx.example.com\r\n"
        for index in 0..<10_000 {
            report += "\r\nFinal-Recipient: rfc822; user\(index)@example.com\r\nAction: failed\r\nStatus: \(index % 2 == 0 ? "5.1.1" : "4.2.0")\r\n"
        }
        let message = """
            From: MAILER-DAEMON@mx.example.com\r
            Content-Type: multipart/report; report-type=delivery-status; boundary=r\r
            \r
            --r\r
            Content-Type: message/delivery-status\r
            \r
            \(report)\r
            --r--\r

            """
        let findings = Classifier().classify(Array(message.utf8))
        #expect(findings.count == 10_000)
        #expect(findings.filter { $0.kind == .hard }.count == 5_000)
        #expect(findings.filter { $0.kind == .soft }.count == 5_000)
        #expect(findings.last?.address == "user9999@example.com")
    }

    @Test func anAddressWithLineBreaksIsNoAddress() {
        let message = "From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; boundary=r\r\n\r\n--r\r\n"
            + "Content-Type: message/delivery-status\r\n\r\nX: y\r\n\r\nFinal-Recipient: rfc822; =?utf-8?q?a=0D=0Ab@example.com?=\r\n"
            + "Action: failed\r\nStatus: 5.1.1\r\n--r--\r\n"
        let findings = Classifier().classify(Array(message.utf8))
        #expect(findings.allSatisfy { $0.address?.contains("\r") != true && $0.address?.contains("\n") != true })
        #expect(findings.map(\.kind) == [.unknown])
    }

    @Test func statusFieldsThatAreNotCodesSayUnknown() {
        let message = "From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; boundary=r\r\n\r\n--r\r\n"
            + "Content-Type: message/delivery-status\r\n\r\nX: y\r\n\r\nFinal-Recipient: rfc822; a@example.com\r\n"
            + "Action: failed\r\nStatus: 9.9.9.9\r\n--r--\r\n"
        #expect(Classifier().classify(Array(message.utf8)).map(\.kind) == [.unknown])
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 0..<4000, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Some structure to get past the headers now and then.
            bytes = Array("Content-Type: multipart/report; boundary=q\r\nFrom: postmaster@x.example\r\n\r\n--q\r\n".utf8) + bytes
            let findings = Classifier().classify(bytes)
            #expect(!findings.isEmpty)
        }
    }
}
