import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteRender

/// Everything one send needs to turn a subscriber into wire bytes, prepared once.
struct SendPlan: Sendable {
    /// The prepared newsletter.
    let newsletter: Newsletter
    /// The list's file name (`members`).
    let listName: String
    /// The sender: the coordinator on duty.
    let from: Mailbox
    /// Where replies go.
    let replyTo: MailAddress?
    /// The List-Id's dot-atom.
    let listID: String
    /// The List-Id's phrase.
    let listTitle: String
    /// Signed unsubscribe links, when `tiedote.yml` has unsubscribe settings.
    let unsubscribe: Unsubscribe?
    /// The network (its domain makes Message-IDs).
    let network: Settings.Network
    /// The Date header's instant.
    let date: Int

    /// Prepares the plan; throws diagnostics that name the setting to fix. Unsubscribe links
    /// are signed with the workspace's secret unless `unsubscribe` is given.
    init(
        workspace: Workspace, composition: Composition, listName: String, date: Int, unsubscribe given: Unsubscribe? = nil
    ) throws {
        let settings = workspace.settings
        newsletter = composition.newsletter
        self.listName = listName
        self.date = date
        network = settings.network
        let coordinator = composition.newsletter.coordinator
        let position = settings.position(of: "coordinators")
        do {
            from = Mailbox(name: coordinator.name, address: try MailAddress(coordinator.email))
            try MIMEMessage.checkHeaderText(coordinator.name, header: "the coordinator's name")
            replyTo = try coordinator.replyTo.map { try MailAddress($0) }
        } catch {
            throw Diagnostic.error(position, "coordinator \(coordinator.id): \((error as? MailError)?.message ?? "\(error)")")
        }
        let issue = composition.issue
        do {
            try MIMEMessage.checkHeaderText(issue.subject, header: "Subject")
        } catch {
            throw Diagnostic.error(issue.position(of: "subject"), error.message)
        }
        listID = ListHeaders.listID(name: listName, domain: settings.network.domain)
        listTitle = settings.lists[listName]?.title ?? settings.network.name
        do {
            try MIMEMessage.checkHeaderText(listTitle, header: "the list title")
        } catch {
            throw Diagnostic.error(settings.position(of: "lists.\(listName)"), error.message)
        }
        let wantsLinks = settings.unsubscribe.url != nil || settings.unsubscribe.mailto != nil
        unsubscribe = wantsLinks ? try given ?? Unsubscribe(workspace: workspace) : nil
    }

    /// The Message-ID of `address`'s copy.
    func messageID(_ address: MailAddress) -> String {
        MIMEMessage.messageID(issue: newsletter.issue.id, list: listName, recipient: address, domain: network.domain)
    }

    /// The MIME message for one subscriber.
    func message(for subscriber: Subscriber, address: MailAddress) throws -> MIMEMessage {
        let links = unsubscribe?.links(for: subscriber, list: listName)
        let url = links?.url
        let mailto = links?.mailto
        let rendered = try newsletter.render(for: subscriber, unsubscribeURL: url ?? "", markdown: false)
        return MIMEMessage(
            from: from, replyTo: replyTo, to: Mailbox(name: subscriber.name, address: address),
            subject: rendered.subject, date: date, messageID: messageID(address),
            list: ListHeaders(id: listID, title: listTitle, unsubscribeMailto: mailto, unsubscribeURL: url),
            text: rendered.text, html: rendered.html)
    }

    /// The wire bytes and envelope for one subscriber.
    func rendered(for subscriber: Subscriber, address: MailAddress) throws -> RenderedMessage {
        let message = try message(for: subscriber, address: address)
        return RenderedMessage(
            envelope: Envelope(from: from.address, to: address, messageID: message.messageID),
            bytes: try message.encoded())
    }
}

/// The recipients of a list after suppression, with every address checked before sending.
struct SendAudience: Sendable {
    /// Subscribers that may be mailed, in file order.
    var subscribers: [Subscriber] = []
    /// Their validated addresses, index for index.
    var addresses: [MailAddress] = []
    /// How many rows were left out because they are suppressed.
    var suppressed = 0
    /// How many rows were left out because they are not in the segment.
    var outsideSegment = 0

    /// Reads list `name`, keeping the rows in `segment`; any malformed address or display
    /// name is an error naming its row.
    init(workspace: Workspace, list name: String, segment: Segment = Segment()) throws {
        let suppressions = try workspace.suppressions()
        var problems = Diagnostics()
        let path = workspace.displayPath(Workspace.listPath(name))
        var row = 1
        _ = problems.take(Result {
            try workspace.forEachSubscriber(list: name) { subscriber in
                row += 1
                if suppressions.contains(subscriber.email) {
                    suppressed += 1
                    return
                }
                guard segment.matches(subscriber) else {
                    outsideSegment += 1
                    return
                }
                let position = subscriber.position ?? SourcePosition(path: path, line: row)
                do {
                    let address = try MailAddress(subscriber.email)
                    try MIMEMessage.checkHeaderText(subscriber.name, header: "the name")
                    subscribers.append(subscriber)
                    addresses.append(address)
                } catch {
                    problems.append(.error(position, "\((error as? MailError)?.message ?? "\(error)"); fix the row or remove it"))
                }
            }
        })
        try problems.throwIfErrors()
    }

    /// The engine's view of the recipients.
    var recipients: [DeliveryRecipient] {
        addresses.enumerated().map { DeliveryRecipient(address: $1, index: $0) }
    }
}
