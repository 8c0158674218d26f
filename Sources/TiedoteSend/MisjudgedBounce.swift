import TiedoteAudience
import TiedoteCore
import TiedoteMail

/// A journal failure whose address is suppressed as bounced although the reply said nothing
/// about the mailbox (a relay wanting AUTH, say): an older Tiedote suppressed those, so no
/// send reaches the address until its row is removed.
public struct MisjudgedBounce: Sendable, Hashable {
    /// The journal key (the address).
    public var key: String
    /// The reply code of the failure.
    public var code: Int
    /// The reply text of the failure.
    public var text: String

    /// Creates one.
    public init(key: String, code: Int, text: String) {
        self.key = key
        self.code = code
        self.text = text
    }

    /// Every such failure in `state`, by key; none when the suppression list cannot be read
    /// (`check` and the send itself report that).
    public static func all(in state: JournalState, workspace: Workspace) -> [MisjudgedBounce] {
        guard let suppressions = try? workspace.suppressions() else { return [] }
        return state.entries.sorted { $0.key < $1.key }.compactMap { key, entry in
            guard entry.state == .failed, !RefusalVerdict.isJournaledBounce(code: entry.code, text: entry.text),
                suppressions.suppression(for: key)?.reason == .bounced
            else { return nil }
            return MisjudgedBounce(key: key, code: entry.code, text: entry.text)
        }
    }
}
