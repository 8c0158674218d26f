import Foundation
import TiedoteAudience
import TiedoteCLI
import TiedoteCore
import TiedoteMail
import TiedoteRender
import TiedoteSend

/// What one timed loop produced: its wall time and the bytes it made (kept so the work
/// cannot be optimised away).
struct BenchResult {
    /// Wall seconds for the whole loop.
    var seconds: Double
    /// CPU seconds this thread spent in the loop: what "on one core" means on a machine
    /// other processes share.
    var cpu: Double
    /// Total bytes produced.
    var bytes: Int
    /// A byte-sum of the output, printed so nothing is dead code.
    var check: UInt64

    /// `mime: 20000 messages in 0.81 s CPU (0.95 s wall) = 24691 msg/s, 23012 bytes each`;
    /// the rate is per CPU-second of the one thread.
    func summary(mode: String, count: Int) -> String {
        let rate = Int(Double(count) / max(cpu, 1e-9))
        let wallRate = Int(Double(count) / max(seconds, 1e-9))
        return "\(mode): \(count) messages in \(String(format: "%.3f", cpu)) s CPU "
            + "(\(String(format: "%.3f", seconds)) s wall, \(wallRate) msg/s wall) = \(rate) msg/s, "
            + "\(bytes / max(count, 1)) bytes each (check \(check % 1000))"
    }

    /// This thread's CPU time in seconds.
    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// The issue and recipients prepared the way `tiedote send` prepares them, outside the timing.
struct BenchSetup {
    let newsletter: Newsletter
    let subscribers: [Subscriber]
    let addresses: [MailAddress]
    let unsubscribe: Unsubscribe?
    /// The send's own plan: the MIME loop measures exactly what `tiedote send` does.
    let plan: SendPlan
    let list = "members"

    init(root: URL, month: String) throws {
        let workspace = try Workspace.load(at: root)
        guard let key = YearMonth(iso: month), let issue = workspace.issues[key] else {
            throw Diagnostic.error(nil, "no issue \(month) in \(root.path)")
        }
        newsletter = try Newsletter.load(issue: issue, workspace: workspace)
        var subscribers: [Subscriber] = []
        var addresses: [MailAddress] = []
        try workspace.forEachSubscriber(list: list) { subscriber in
            guard let address = try? MailAddress(subscriber.email) else { return }
            subscribers.append(subscriber)
            addresses.append(address)
        }
        guard !subscribers.isEmpty else { throw Diagnostic.error(nil, "Lists/\(list).csv has no valid rows") }
        self.subscribers = subscribers
        self.addresses = addresses
        unsubscribe = try Unsubscribe(workspace: workspace)
        plan = try SendPlan(
            workspace: workspace, newsletter: newsletter, listName: list, date: Int(Date().timeIntervalSince1970),
            unsubscribe: unsubscribe)
    }

    /// Renders `count` recipients' HTML and text, nothing more.
    func render(count: Int) throws -> BenchResult {
        let start = Date()
        let startCPU = BenchResult.threadCPU()
        var bytes = 0
        var check: UInt64 = 0
        for index in 0..<count {
            let subscriber = subscribers[index % subscribers.count]
            let url = unsubscribe?.unsubscribeURL(for: subscriber, list: list) ?? ""
            let rendered = try newsletter.render(for: subscriber, unsubscribeURL: url)
            bytes += rendered.html.utf8.count + rendered.text.utf8.count
            check &+= UInt64(rendered.html.utf8.last ?? 0)
        }
        return BenchResult(
            seconds: Date().timeIntervalSince(start), cpu: BenchResult.threadCPU() - startCPU, bytes: bytes, check: check)
    }

    /// Renders `count` recipients and builds each one's MIME bytes, exactly as a send does
    /// before handing them to the transport.
    func mime(count: Int) throws -> BenchResult {
        let start = Date()
        let startCPU = BenchResult.threadCPU()
        var bytes = 0
        var check: UInt64 = 0
        for index in 0..<count {
            let slot = index % subscribers.count
            let encoded = try plan.rendered(for: subscribers[slot], address: addresses[slot]).bytes
            bytes += encoded.count
            check &+= UInt64(encoded[encoded.count / 2])
        }
        return BenchResult(
            seconds: Date().timeIntervalSince(start), cpu: BenchResult.threadCPU() - startCPU, bytes: bytes, check: check)
    }
}
