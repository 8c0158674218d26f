import Foundation
import Testing
@testable import TiedoteMail

/// A one-connection SMTP responder on loopback that answers every command with success and
/// records what arrived, so a test can see whether libcurl ever sent the end of data.
final class ScriptedSMTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw MailError(.io, "cannot listen on loopback")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The lines the client has sent so far, without waiting for it to go.
    func linesSoFar() -> [String] {
        lock.withLock { received }
    }

    /// Every line the client sent (body lines included), once the client has gone.
    func lines() -> [String] {
        done.wait()
        return lock.withLock { received }
    }

    private func serve() {
        defer {
            close(listener)
            done.signal()
        }
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        defer { close(client) }
        func say(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        say("220 scripted ESMTP\r\n")
        var pending: [UInt8] = []
        var inData = false
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(client, &chunk, chunk.count, 0)
            if count <= 0 { return }
            pending.append(contentsOf: chunk[0..<count])
            while let end = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<end], as: UTF8.self).trimmingLineEnd
                pending.removeSubrange(...end)
                lock.withLock { received.append(line) }
                if inData {
                    if line == "." {
                        inData = false
                        say("250 2.0.0 taken\r\n")
                    }
                    continue
                }
                switch line.prefix(4).uppercased() {
                case "EHLO": say("250-scripted\r\n250 8BITMIME\r\n")
                case "DATA":
                    inData = true
                    say("354 go ahead\r\n")
                case "QUIT":
                    say("221 bye\r\n")
                    return
                default: say("250 2.1.0 ok\r\n")
                }
            }
        }
    }
}

@Suite struct CommitGateTests {
    let envelope = memberEnvelope(messageID: "gate@example.fi")
    let message = Array("Subject: gate\r\n\r\nHei\r\n.piste alussa\r\n".utf8)

    @Test func theGateRunsOnceBeforeTheEndOfData() throws {
        let server = try ScriptedSMTPServer()
        var calls = 0
        var transport: SMTPTransport? = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)", tls: .none))
        let outcome = try transport?.send(message, envelope: envelope) { calls += 1 }
        transport = nil
        #expect(calls == 1)
        #expect(outcome?.code == 250)
        let lines = server.lines()
        #expect(lines.contains("."))
        #expect(lines.contains("..piste alussa"))
    }

    @Test func aFailingGateAbandonsTheMessageUntaken() throws {
        let server = try ScriptedSMTPServer()
        var transport: SMTPTransport? = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)", tls: .none))
        #expect(throws: MailError.self) {
            _ = try transport?.send(message, envelope: envelope) { throw MailError(.journal, "disk gone") }
        }
        transport = nil
        let lines = server.lines()
        // The body went out, but never the end of data that would let the server take it.
        #expect(lines.contains("Subject: gate"))
        #expect(lines.contains("DATA"))
        #expect(!lines.contains("."))
    }

    @Test func theOutboxDoesNotKeepAMessageWhoseGateFailed() throws {
        let folder = try temporaryFolder()
        let outbox = try OutboxTransport(folder: folder)
        #expect(throws: MailError.self) {
            _ = try outbox.send(message, envelope: envelope) { throw MailError(.journal, "disk gone") }
        }
        for sub in ["tmp", "new"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path).isEmpty)
        }
    }

    @Test func theAttemptIsOnDiskWhenTheMessageCanBeTaken() throws {
        let mailbox = InMemoryMailbox()
        let url = try temporaryFolder().appendingPathComponent("j.journal")
        let journal = try Journal(url: url)
        let list = try recipients(20)
        let checks = GateProbe(journal: journal)
        let summary = Delivery(options: quickOptions(connections: 1), journal: journal).run(
            recipients: list, total: list.count, render: render,
            makeTransport: { ProbingTransport(InMemoryTransport(mailbox: mailbox), checks) })
        #expect(summary.sent == 20)
        #expect(checks.failures.isEmpty, "\(checks.failures)")
        #expect(checks.count == 20)
    }
}

/// Checks, at each commit point, that the recipient's `attempting` line is in the journal and
/// that nothing appended is still waiting for the disk.
final class GateProbe: CommitProbe, @unchecked Sendable {
    let journal: Journal
    private let lock = NSLock()
    private(set) var failures: [String] = []
    private(set) var count = 0
    init(journal: Journal) { self.journal = journal }

    func check(_ key: String) {
        let state = try? Journal.read(journal.url)
        let pending = journal.appendedNotDurable
        lock.withLock {
            count += 1
            if state?[key]?.state != .attempting { failures.append("\(key) is not attempting in the file") }
            if pending != 0 { failures.append("\(pending) appends of \(key) not on disk") }
        }
    }
}

/// What a test checks at each commit point, with the recipient's key.
protocol CommitProbe: Sendable {
    func check(_ key: String)
}

/// An in-memory transport that runs a probe at each commit point, right after the gate.
final class ProbingTransport: Transport {
    let inner: InMemoryTransport
    let probe: any CommitProbe
    init(_ inner: InMemoryTransport, _ probe: any CommitProbe) {
        self.inner = inner
        self.probe = probe
    }
    func send(_ message: [UInt8], envelope: Envelope, beforeCommit: () throws -> Void) throws -> DeliveryOutcome {
        try inner.send(message, envelope: envelope) {
            try beforeCommit()
            probe.check(envelope.to.key)
        }
    }
}
