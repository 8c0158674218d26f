import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail

/// The recipients of a list after suppression and segment, with every address checked
/// before sending.
///
/// A send reads the list twice and holds neither: once here to check every row and count,
/// then streamed to the engine (`stream(_:)`); `collect` keeps the rows for the commands that
/// need them all (dry run, status, test copies).
public struct SendAudience: Sendable {
    /// Subscribers that may be mailed, in file order (only when collected).
    public var subscribers: [Subscriber] = []
    /// Their validated addresses, index for index (only when collected).
    public var addresses: [MailAddress] = []
    /// How many may be mailed.
    public var count = 0
    /// The first one, for a trial render before any connection.
    public var first: (subscriber: Subscriber, address: MailAddress)?
    /// How many rows were left out because they are suppressed.
    public var suppressed = 0
    /// The journal keys of those rows (only when collected): `status` still counts their
    /// failures as the list's.
    public var suppressedKeys: [String] = []
    /// How many rows were left out because they are not in the segment.
    public var outsideSegment = 0
    private let workspace: Workspace
    private let list: String
    private let segment: Segment
    private let suppressions: SuppressionSet

    /// What the filter makes of one row.
    private enum Admission {
        case admitted(MailAddress)
        case suppressed
        case outsideSegment
        case invalid(String)
    }

    /// Reads list `name`, keeping the rows in `segment`; any malformed address or display
    /// name is an error naming its row.
    public init(workspace: Workspace, list name: String, segment: Segment = Segment(), collect: Bool = true) throws {
        self.workspace = workspace
        list = name
        self.segment = segment
        suppressions = try workspace.suppressions()
        var problems = Diagnostics()
        let path = workspace.displayPath(Workspace.listPath(name))
        var row = 1
        _ = problems.take(Result {
            try workspace.forEachSubscriber(list: name) { subscriber in
                row += 1
                switch admit(subscriber) {
                case .suppressed:
                    suppressed += 1
                    if collect { suppressedKeys.append((try? MailAddress(subscriber.email))?.key ?? subscriber.email.lowercased()) }
                case .outsideSegment: outsideSegment += 1
                case .invalid(let message):
                    let position = subscriber.position ?? SourcePosition(path: path, line: row)
                    problems.append(.error(position, "\(message); fix the row or remove it"))
                case .admitted(let address):
                    count += 1
                    if first == nil { first = (subscriber, address) }
                    if collect {
                        subscribers.append(subscriber)
                        addresses.append(address)
                    }
                }
            }
        })
        try problems.throwIfErrors()
    }

    private func admit(_ subscriber: Subscriber) -> Admission {
        if suppressions.contains(subscriber.email) { return .suppressed }
        guard segment.matches(subscriber) else { return .outsideSegment }
        do {
            let address = try MailAddress(subscriber.email)
            try MIMEMessage.checkHeaderText(subscriber.name, header: "the name")
            return .admitted(address)
        } catch {
            return .invalid(error.message)
        }
    }

    /// The list read again on a thread of its own and handed over row by row, filtered as
    /// above; `onProblem` hears of rows that changed for the worse since the check. With
    /// `prepare`, that thread makes each recipient's message too (see `RecipientStream`).
    public func stream(
        prepare: (@Sendable (DeliveryRecipient) -> RenderedMessage?)? = nil, onProblem: @escaping @Sendable (Error) -> Void
    ) -> RecipientStream {
        let audience = self
        return RecipientStream(prepare: prepare) { put in
            do {
                // Checked already; the engine skips a repeat added since (no second table).
                try audience.workspace.forEachSubscriber(list: audience.list, checkingDuplicates: false) { subscriber in
                    if case .admitted(let address) = audience.admit(subscriber) {
                        put(DeliveryRecipient(address: address, subscriber: subscriber))
                    }
                }
            } catch {
                onProblem(error)
            }
        }
    }
}
