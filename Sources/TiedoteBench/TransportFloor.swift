import Foundation
import TiedoteCore
import TiedoteMail

/// The delivery floor: one ready message sent again and again through `SMTPTransport` (libcurl,
/// one handle per connection, as `send` uses it) on `connections` threads, with no list and no
/// rendering. What `send` costs beyond this is Tiedote's own work.
///
/// Without `journal` nothing is written. With it, the durable floor: each copy is journalled
/// as `send` journals a message (`Worker.deliver`): its `attempting` line appended before MAIL
/// and on disk before the end of data (the commit gate), its `sent` line carried into the next
/// copy's write. What `send` costs beyond that floor is its rendering and scheduling; between
/// the two floors lies the rule that a crash leaves at most one uncertain recipient per
/// connection (SPEC §4).
struct TransportFloor {
    let url: String
    let message: RenderedMessage
    var journal: URL? = nil

    /// Sends `count` copies over `connections` connections; the rate is per wall second and
    /// the CPU is the whole process's (user + system), as for `send`.
    func run(count: Int, connections: Int) throws -> BenchResult {
        let configuration = SMTPConfiguration(url: url, tls: .none)
        let failures = Failures()
        let group = DispatchGroup()
        if let journal { try? FileManager.default.removeItem(at: journal) }
        let start = Date()
        let startCPU = Self.processCPU()
        let opened = try journal.map { try Journal(url: $0) }
        for index in 0..<connections {
            let share = count / connections + (index < count % connections ? 1 : 0)
            group.enter()
            let thread = Thread { [message] in
                if let problem = Self.send(message, times: share, configuration, journal: opened) { failures.add(problem) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        try opened?.close()
        if let failure = failures.first { throw Diagnostic.error(nil, failure) }
        return BenchResult(
            seconds: Date().timeIntervalSince(start), cpu: Self.processCPU() - startCPU,
            bytes: message.bytes.count * count, check: UInt64(message.bytes.count))
    }

    /// One connection's share of the copies, journalled when `journal` is given; what went
    /// wrong, or nil.
    private static func send(
        _ message: RenderedMessage, times: Int, _ configuration: SMTPConfiguration, journal: Journal?
    ) -> String? {
        let transport: SMTPTransport
        do { transport = try SMTPTransport(configuration) } catch { return "\(error)" }
        let key = message.envelope.to.key
        let id = message.envelope.messageID
        var carried: JournalRecord?
        for _ in 0..<times {
            let outcome: DeliveryOutcome
            do {
                let now = Int(Date().timeIntervalSince1970)
                let attempt = JournalRecord(time: now, state: .attempting, key: key, messageID: id, relay: "floor")
                let ticket = try journal?.append(carried.map { [$0, attempt] } ?? [attempt])
                outcome = try transport.send(message.bytes, envelope: message.envelope) {
                    if let ticket { try journal?.waitDurable(ticket) }
                }
            } catch {
                return "\(error)"
            }
            guard case .sent(let code, let text) = outcome else { return "not sent: \(outcome.code) \(outcome.text)" }
            if journal != nil {
                let now = Int(Date().timeIntervalSince1970)
                carried = JournalRecord(time: now, state: .sent, key: key, code: code, messageID: id, text: text, relay: "floor")
            }
        }
        if let carried {
            do { try journal?.append([carried]) } catch { return "\(error)" }
        }
        return nil
    }

    /// This process's user + system CPU seconds, every thread included.
    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// The first error any connection met.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.withLock { errors.append(error) } }
    var first: String? { lock.withLock { errors.first } }
}

extension BenchSetup {
    /// `transport` mode: CONNECTIONS and URL follow the count, then optionally a JOURNAL file
    /// (made afresh) for the durable floor; the message is the first recipient's. (A method, not
    /// lines in main.swift: written there, Swift 6.3.1's optimiser crashed on the top-level
    /// code, "swifterror value can only be loaded and stored from".)
    func transport(count: Int, arguments: ArraySlice<String>) throws -> BenchResult {
        let values = Array(arguments)
        guard values.count == 2 || values.count == 3, let connections = Int(values[0]), connections > 0 else {
            throw Diagnostic.error(nil, "transport needs CONNECTIONS and URL after the count, then optionally a JOURNAL file")
        }
        let message = try plan.rendered(for: subscribers[0], address: addresses[0])
        let journal = values.count == 3 ? URL(fileURLWithPath: values[2]) : nil
        return try TransportFloor(url: values[1], message: message, journal: journal)
            .run(count: count, connections: connections)
    }
}
