import Foundation
import Testing
import TiedoteMail
@testable import TiedoteCLI

/// The progress line a person watches during a send: what it says, and that it stays one
/// line redrawn in place.
struct ProgressLineTests {
    typealias Figures = ProgressLine.Figures

    /// Collects what the line writes.
    final class Screen: @unchecked Sendable {
        private let lock = NSLock()
        private var writes: [String] = []
        var all: [String] { lock.withLock { writes } }
        func write(_ text: String) { lock.withLock { writes.append(text) } }
    }

    @Test(arguments: [
        (Figures(sent: 0, total: 120, pending: 120, retrying: 0, rate: 0, eta: nil),
         "sent 0/120  pending 120  retrying 0  0.0/s  ETA –"),
        (Figures(sent: 37, total: 120, pending: 80, retrying: 3, rate: 12.34, eta: 83.4),
         "sent 37/120  pending 80  retrying 3  12.3/s  ETA 1:23"),
        (Figures(sent: 5, total: 9000, pending: 8990, retrying: 5, rate: 1, eta: 8995,
                 notices: ["oma: 3× 421 in 60 s, down to 2 connections and 150/min", "toinen: rested for 30 s"]),
         "sent 5/9000  pending 8990  retrying 5  1.0/s  ETA 149:55  · toinen: rested for 30 s"
            + "  · oma: 3× 421 in 60 s, down to 2 connections and 150/min"),
    ])
    func saysSentPendingRetryingRateEtaAndNotices(_ figures: Figures, _ expected: String) {
        #expect(ProgressLine.text(figures, columns: 200) == expected)
    }

    @Test func theFiguresOfAProgressReportCountEarlierRunsAsSent() {
        let progress = DeliveryProgress(
            sent: 7, failed: 1, skipped: 3, total: 20, elapsed: 2, pending: 6, retrying: 3, notices: ["a", "b"])
        let figures = Figures(progress, total: 20)
        #expect(figures == Figures(sent: 10, total: 20, pending: 6, retrying: 3, rate: 4, eta: 2.25, notices: ["a", "b"]))
    }

    @Test func aMessageCountedBothSentAndPendingIsShownOnceSoTheFiguresNeverPassTheTotal() {
        let progress = DeliveryProgress(sent: 1, total: 20, elapsed: 1, pending: 19, retrying: 1)
        let figures = Figures(progress, total: 20)
        #expect(figures.sent + figures.pending + figures.retrying == 20)
        #expect(figures.pending == 18)
    }

    @Test func aLineWiderThanTheTerminalIsCutSoItNeverWraps() {
        let figures = Figures(sent: 1, total: 2, pending: 1, retrying: 0, rate: 1, eta: 1, notices: [String(repeating: "x", count: 100)])
        let text = ProgressLine.text(figures, columns: 60)
        #expect(text.count == 60)
        #expect(text.hasPrefix("sent 1/2  pending 1  retrying 0  1.0/s  ETA 0:01  · xxx"))
        #expect(text.hasSuffix("x…"))
    }

    @Test func aShorterLineBlanksTheTailOfTheLongerOneBefore() {
        let screen = Screen()
        let line = ProgressLine(enabled: true, total: 10, columns: 200, write: { screen.write($0) })
        let long = Figures(sent: 1, total: 10, pending: 9, retrying: 0, rate: 1, eta: 9, notices: ["oma: rested for 30 s"])
        let short = Figures(sent: 2, total: 10, pending: 8, retrying: 0, rate: 1, eta: 8)
        line.draw(long)
        line.draw(short)
        line.finish()
        let longText = ProgressLine.text(long, columns: 199)
        let shortText = ProgressLine.text(short, columns: 199)
        #expect(screen.all == [
            "\r" + longText,
            "\r" + shortText + String(repeating: " ", count: longText.count - shortText.count),
            "\n",
        ])
    }

    @Test func disabledItWritesNothingNotEvenTheEndOfLine() {
        let screen = Screen()
        let line = ProgressLine(enabled: false, total: 10, columns: 200, write: { screen.write($0) })
        line.draw(Figures(sent: 1, total: 10, pending: 9, retrying: 0, rate: 1, eta: 9))
        line.finish()
        #expect(screen.all.isEmpty)
    }

    @Test func finishWithoutADrawingEndsNoLine() {
        let screen = Screen()
        ProgressLine(enabled: true, total: 10, columns: 200, write: { screen.write($0) }).finish()
        #expect(screen.all.isEmpty)
    }
}
