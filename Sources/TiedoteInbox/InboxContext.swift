import TiedoteCore

/// What the classifier may ask about the workspace: whose addresses are ours, which tokens
/// are valid, who is subscribed. Kept as functions so the classifier stays free of files.
public struct InboxContext: Sendable {
    /// What a VERP token says, once checked.
    public struct ReturnPath: Sendable, Hashable {
        /// The send (`2026-12/members`) when the list is known.
        public var send: String?
        /// The recipient, when the token's digest matched an address on the list.
        public var address: String?
        /// Addresses the token is known not to name are left out; this says whether it names one.
        public var names: Set<String>

        /// Creates a match.
        public init(send: String?, address: String?, names: Set<String> = []) {
            self.send = send
            self.address = address
            self.names = names
        }
    }

    /// The unsubscribe mailbox (`unsubscribe.mailto`), lower-cased.
    public var unsubscribeAddress: String?
    /// The VERP base address (`delivery.return_path`), lower-cased.
    public var returnPath: String?
    /// The network's own addresses (coordinators, return path): never a bounced recipient.
    public var ownAddresses: Set<String>
    /// The address and list of a valid unsubscribe token; nil for anything else.
    public var unsubscribeToken: @Sendable (String) -> (list: String, address: String)?
    /// What a VERP token names, checked against the candidate addresses a report gives; nil
    /// when it is not a valid token.
    public var returnToken: @Sendable (_ token: String, _ candidates: [String]) -> ReturnPath?
    /// True when the address is on some list.
    public var isSubscribed: @Sendable (String) -> Bool

    /// Creates a context.
    public init(
        unsubscribeAddress: String? = nil, returnPath: String? = nil, ownAddresses: Set<String> = [],
        unsubscribeToken: @escaping @Sendable (String) -> (list: String, address: String)? = { _ in nil },
        returnToken: @escaping @Sendable (String, [String]) -> ReturnPath? = { _, _ in nil },
        isSubscribed: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.unsubscribeAddress = unsubscribeAddress?.lowercased()
        self.returnPath = returnPath?.lowercased()
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
        self.unsubscribeToken = unsubscribeToken
        self.returnToken = returnToken
        self.isSubscribed = isSubscribed
    }

    /// The token of a VERP address `local+TOKEN@domain` built on `returnPath`; nil otherwise.
    func verpToken(in address: String) -> String? {
        guard let returnPath, let at = returnPath.lastIndex(of: "@") else { return nil }
        let local = returnPath[..<at], domain = returnPath[returnPath.index(after: at)...]
        let lower = address.lowercased()
        guard lower.hasPrefix(local + "+"), lower.hasSuffix("@" + domain) else { return nil }
        let token = lower.dropFirst(local.count + 1).dropLast(domain.count + 1)
        return token.isEmpty ? nil : String(token)
    }
}
