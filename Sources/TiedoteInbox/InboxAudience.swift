import Crypto
import Foundation
import TiedoteAudience
import TiedoteCore

/// The workspace facts the inbox needs, read once: who is on which list, the signing secret
/// for tokens, the network's own addresses; and the classifier's context built from them.
///
/// Unchecked Sendable: the stored facts are constants (the HMAC key state is only copied, never
/// mutated); `lock` guards the `digests` cache.
public final class InboxAudience: @unchecked Sendable {
    /// Addresses (lower-cased) on each list.
    public let lists: [String: Set<String>]
    /// The unsubscribe signer, when a secret is set.
    let unsubscribe: Unsubscribe?
    /// The VERP signer, from the same secret.
    let returnSigner: HMAC<SHA256>?
    let settings: Settings
    /// VERP digests → address, per list and month, made on first use.
    private var digests: [String: [[UInt8]: String]] = [:]
    private let lock = NSLock()

    /// Reads the lists and the secret of `workspace` (a missing secret only disables tokens).
    public init(workspace: Workspace, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        settings = workspace.settings
        var lists: [String: Set<String>] = [:]
        for name in try workspace.listNames() {
            var addresses: Set<String> = []
            try workspace.forEachSubscriber(list: name) { addresses.insert($0.key) }
            lists[name] = addresses
        }
        self.lists = lists
        let unsubscribe = try? Unsubscribe(workspace: workspace, environment: environment)
        self.unsubscribe = unsubscribe
        returnSigner = unsubscribe.map { ReturnPathToken.signer($0.secret) }
    }

    /// True when `address` is on some list.
    public func isSubscribed(_ address: String) -> Bool { lists.values.contains { $0.contains(address) } }

    /// The classifier's view of this workspace.
    public var context: InboxContext {
        let own = Set(settings.coordinators.flatMap { [$0.email, $0.replyTo].compactMap { $0?.lowercased() } })
        return InboxContext(
            unsubscribeAddress: settings.unsubscribe.mailto, returnPath: settings.delivery.returnPath, ownAddresses: own,
            unsubscribeToken: { [unsubscribe] text in
                guard let token = try? unsubscribe?.verify(text) else { return nil }
                return (token.list, token.address)
            },
            returnToken: { [self] text, candidates in resolve(text, candidates: candidates) },
            isSubscribed: { [self] in isSubscribed($0) })
    }

    /// What a VERP token names among the lists (and among `candidates`, for an address that
    /// left the list since).
    func resolve(_ text: String, candidates: [String]) -> InboxContext.ReturnPath? {
        guard let signer = returnSigner, let token = ReturnPathToken(text),
            let list = lists.keys.sorted().first(where: { ReturnPathToken.listHash($0) == token.listHash })
        else { return nil }
        let table = digestTable(list: list, month: token.month, signer: signer)
        let names = Set(candidates.filter { token.names($0, list: list, signer: signer) })
        return InboxContext.ReturnPath(send: "\(token.month)/\(list)", address: table[token.digest] ?? names.first, names: names)
    }

    private func digestTable(list: String, month: YearMonth, signer: HMAC<SHA256>) -> [[UInt8]: String] {
        lock.withLock {
            let key = "\(month)/\(list)"
            if let table = digests[key] { return table }
            var table: [[UInt8]: String] = [:]
            for address in lists[list] ?? [] {
                table[ReturnPathToken.digest(list: list, month: month, address: address, signer: signer)] = address
            }
            digests[key] = table
            return table
        }
    }
}
