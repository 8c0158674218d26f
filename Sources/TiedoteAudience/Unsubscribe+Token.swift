import Foundation
import TiedoteCore

extension Unsubscribe {
    /// What an unsubscribe by token did.
    public struct Outcome: Sendable, Hashable {
        /// The verified list and address.
        public var token: UnsubscribeToken
        /// False when the address was already suppressed.
        public var added: Bool
    }

    /// Verifies `token` and adds its address to `Lists/suppressed.csv` (reason `unsubscribed`
    /// unless given): what both `tiedote unsubscribe --token` and the web's `POST /peru` do.
    /// Throws `UnsubscribeToken.Refusal` for a token that does not verify.
    public func unsubscribe(
        token: String, in workspace: Workspace, reason: Suppression.Reason = .unsubscribed, at date: Date = Date()
    ) throws -> Outcome {
        let verified = try verify(token)
        let added = try workspace.suppress(verified.address, reason: reason, at: date)
        return Outcome(token: verified, added: added)
    }
}
