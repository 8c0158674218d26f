import Foundation
import TiedoteCore
import TiedoteMail

/// The delivery floor: one ready message sent again and again through `SMTPTransport` (libcurl,
/// one handle per connection, as `send` uses it) on `connections` threads, with no list, no
/// rendering and no journal. What `send` costs beyond this is Tiedote's own work.
struct TransportFloor {
    let url: String
    let message: RenderedMessage

    /// Sends `count` copies over `connections` connections; the rate is per wall second and
    /// the CPU is the whole process's (user + system), as for `send`.
    func run(count: Int, connections: Int) throws -> BenchResult {
        let configuration = SMTPConfiguration(url: url, tls: .none)
        let failures = Failures()
        let group = DispatchGroup()
        let start = Date()
        let startCPU = Self.processCPU()
        for index in 0..<connections {
            let share = count / connections + (index < count % connections ? 1 : 0)
            group.enter()
            let thread = Thread { [message] in
                if let problem = Self.send(message, times: share, configuration) { failures.add(problem) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        if let failure = failures.first { throw Diagnostic.error(nil, failure) }
        return BenchResult(
            seconds: Date().timeIntervalSince(start), cpu: Self.processCPU() - startCPU,
            bytes: message.bytes.count * count, check: UInt64(message.bytes.count))
    }

    /// One connection's share of the copies; what went wrong, or nil.
    private static func send(_ message: RenderedMessage, times: Int, _ configuration: SMTPConfiguration) -> String? {
        let transport: SMTPTransport
        do { transport = try SMTPTransport(configuration) } catch { return "\(error)" }
        for _ in 0..<times {
            let outcome: DeliveryOutcome
            do { outcome = try transport.send(message.bytes, envelope: message.envelope) } catch { return "\(error)" }
            guard case .sent = outcome else { return "not sent: \(outcome.code) \(outcome.text)" }
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
    /// `transport` mode: CONNECTIONS and URL follow the count; the message is the first
    /// recipient's. (A method, not lines in main.swift: written there, Swift 6.3.1's optimiser
    /// crashed on the top-level code, "swifterror value can only be loaded and stored from".)
    func transport(count: Int, arguments: ArraySlice<String>) throws -> BenchResult {
        guard arguments.count == 2, let connections = Int(arguments[arguments.startIndex]), connections > 0 else {
            throw Diagnostic.error(nil, "transport needs CONNECTIONS and URL after the count")
        }
        let message = try plan.rendered(for: subscribers[0], address: addresses[0])
        return try TransportFloor(url: arguments[arguments.startIndex + 1], message: message)
            .run(count: count, connections: connections)
    }
}
