import Foundation
import TiedoteMail
import TiedoteSend

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress line on a terminal: `sent N/TOTAL  pending P  retrying R  12.3/s  ETA m:ss`,
/// then the engine's notices (a relay slowed down, a relay rested), redrawn in place.
///
/// Unchecked Sendable: the connections' threads call `show`; `lock` guards `drawn` and the write.
final class ProgressLine: @unchecked Sendable {
    /// The figures one drawing shows.
    struct Figures: Hashable, Sendable {
        /// Recipients done: sent in this run or an earlier one.
        var sent: Int
        /// Recipients of the send.
        var total: Int
        /// Recipients not yet done and not waiting for a retry.
        var pending: Int
        /// Recipients waiting for a retry.
        var retrying: Int
        /// Messages a second so far.
        var rate: Double
        /// Seconds still needed at that rate; nil before there is a rate.
        var eta: Double?
        /// What the engine says about its relays, as it says it, oldest first.
        var notices: [String]

        /// The figures of one progress report.
        init(_ progress: DeliveryProgress, total: Int) {
            sent = progress.sent + progress.skipped
            self.total = total
            retrying = progress.retrying
            // The engine keeps these figures within the total (RunState.withCounts); a report
            // built by hand is held to it here too, so the line never shows more than the send has.
            pending = max(0, min(progress.pending, total - sent - progress.failed - retrying))
            rate = progress.rate
            eta = progress.eta
            notices = progress.notices
        }

        /// Figures given one by one.
        init(sent: Int, total: Int, pending: Int, retrying: Int, rate: Double, eta: Double?, notices: [String] = []) {
            self.sent = sent
            self.total = total
            self.pending = pending
            self.retrying = retrying
            self.rate = rate
            self.eta = eta
            self.notices = notices
        }
    }

    private let enabled: Bool
    private let total: Int
    private let columns: Int
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    /// Characters of the line on screen now (0: nothing drawn yet).
    private var drawn = 0

    /// A line drawn through `write` (stderr by default), when `enabled`; at most `columns`
    /// characters, so that it never wraps and `\r` still returns to its start.
    init(
        enabled: Bool, total: Int, columns: Int = ProgressLine.terminalColumns(),
        write: @escaping @Sendable (String) -> Void = { ConsoleStream.error.write($0) }
    ) {
        self.enabled = enabled
        self.total = total
        self.columns = max(20, columns)
        self.write = write
    }

    /// Draws the line for a progress report.
    func show(_ progress: DeliveryProgress) {
        guard enabled else { return }
        draw(Figures(progress, total: total))
    }

    /// Draws the line for `figures`, over the last one.
    func draw(_ figures: Figures) {
        guard enabled else { return }
        let text = Self.text(figures, columns: columns - 1)
        lock.withLock {
            let width = text.count
            // A shorter line than the last leaves the old tail on screen: blank it out.
            let tail = max(0, drawn - width)
            write("\r" + text + String(repeating: " ", count: tail))
            drawn = width
        }
    }

    /// Ends the line, so that what follows starts on a line of its own.
    func finish() {
        lock.withLock {
            if drawn > 0 { write("\n") }
            drawn = 0
        }
    }

    /// The line's text, cut to `columns` characters.
    static func text(_ figures: Figures, columns: Int) -> String {
        let eta = figures.eta.map { SendEstimate.clock(seconds: $0) } ?? "–"
        var line = "sent \(figures.sent)/\(figures.total)  pending \(figures.pending)  retrying \(figures.retrying)  "
            + String(format: "%.1f/s", figures.rate) + "  ETA \(eta)"
        // Newest first: the engine keeps every notice of the run, and a line cut to the
        // terminal's width must still show what is happening now.
        for notice in figures.notices.reversed() { line += "  · " + notice }
        guard line.count > columns else { return line }
        return String(line.prefix(max(0, columns - 1))) + "…"
    }

    /// The terminal's width on stderr, 80 when it cannot be asked.
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
