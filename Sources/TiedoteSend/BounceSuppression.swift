import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail

/// What adding a send's bounced addresses to the suppression list did: the addresses added and
/// each problem, as values for the caller (the CLI, `serve`, `inbox`) to show as it shows things.
///
/// Every write happens under the workspace lock, taken only for the writes: an `unsubscribe`
/// during a long send still goes through, and a write never interleaves with `forget` or
/// `lists import`.
public struct BounceSuppression: Sendable {
    /// An address that could not be added, and the error that stopped it.
    public struct Failure: Sendable {
        /// The address as the journal or the summary names it.
        public var address: String
        /// Why it could not be added.
        public var error: any Error
    }

    /// Addresses newly added to `Lists/suppressed.csv` as bounced, in the order tried.
    public var added: [String] = []
    /// Addresses that could not be added.
    public var failures: [Failure] = []
    /// Why the workspace lock could not be taken (then nothing was added); nil when it was.
    public var lockError: (any Error)?

    /// Nothing done yet.
    public init() {}

    /// Adds the journal's bounces to the suppression list: a run stopped before its summary may
    /// have journaled bounces without suppressing them. An address already there is skipped.
    public static func journaled(
        in state: JournalState, workspace: Workspace, waiting: () -> Void = {}
    ) -> BounceSuppression {
        let bounced = state.entries.sorted { $0.key < $1.key }.compactMap { key, entry in
            entry.state == .failed && RefusalVerdict.isJournaledBounce(code: entry.code, text: entry.text) ? key : nil
        }
        return suppress(bounced, workspace: workspace, waiting: waiting)
    }

    /// Adds the bounces of a finished send (`DeliverySummary.bounces`) to the suppression list.
    public static func afterSend(
        _ summary: DeliverySummary, workspace: Workspace, waiting: () -> Void = {}
    ) -> BounceSuppression {
        suppress(summary.bounces.map(\.value), workspace: workspace, waiting: waiting)
    }

    /// Adds each of `addresses` as bounced, holding the workspace lock once for all of them.
    /// An address that fails does not stop the others.
    public static func suppress(
        _ addresses: [String], workspace: Workspace, waiting: () -> Void = {}
    ) -> BounceSuppression {
        var outcome = BounceSuppression()
        do {
            try workspace.withLock(waiting: waiting) {
                for address in addresses {
                    do {
                        if try workspace.suppress(address, reason: .bounced) { outcome.added.append(address) }
                    } catch {
                        outcome.failures.append(Failure(address: address, error: error))
                    }
                }
            }
        } catch {
            outcome.lockError = error
        }
        return outcome
    }
}
