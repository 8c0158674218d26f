import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteRender

/// Everything one send needs to turn a subscriber into wire bytes, prepared once.
///
/// The CLI, `tiedote-bench` and (later) the web side all use this very path.
public struct SendPlan: Sendable {
    /// The prepared newsletter.
    public let newsletter: Newsletter
    /// The list's file name (`members`).
    public let listName: String
    /// The sender: the coordinator on duty.
    public let from: Mailbox
    /// Where replies go.
    public let replyTo: MailAddress?
    /// The List-Id's dot-atom.
    public let listID: String
    /// The List-Id's phrase.
    public let listTitle: String
    /// Signed unsubscribe links, when `tiedote.yml` has unsubscribe settings.
    public let unsubscribe: Unsubscribe?
    /// The network (its domain makes Message-IDs).
    public let network: Settings.Network
    /// The Date header's instant.
    public let date: Int
    /// VERP: the base return path and the send's token signer, when `delivery.return_path` is set.
    let returnPath: (base: MailAddress, signer: ReturnPathSigner)?
    /// Each variant's pieces with their fixed runs encoded for the wire, made on first use;
    /// nil for a variant that is rendered in full for every recipient.
    let variants = VariantCache<EncodedVariant?>()
    /// Date, From, Reply-To, Subject and List-Id, folded and encoded once for every message.
    let shared: SharedHeaders

    /// Prepares the plan; throws diagnostics that name the setting to fix. Unsubscribe links
    /// are signed with the workspace's secret unless `unsubscribe` is given.
    public init(
        workspace: Workspace, newsletter: Newsletter, listName: String, date: Int, unsubscribe given: Unsubscribe? = nil
    ) throws {
        let settings = workspace.settings
        self.newsletter = newsletter
        self.listName = listName
        self.date = date
        network = settings.network
        let coordinator = newsletter.coordinator
        let position = settings.position(of: "coordinators")
        do {
            from = Mailbox(name: coordinator.name, address: try MailAddress(coordinator.email))
            try MIMEMessage.checkHeaderText(coordinator.name, header: "the coordinator's name")
            replyTo = try coordinator.replyTo.map { try MailAddress($0) }
        } catch {
            throw Diagnostic.error(position, "coordinator \(coordinator.id): \((error as? MailError)?.message ?? "\(error)")")
        }
        let issue = newsletter.issue
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
        try Self.checkLinkLengths(settings: settings, listName: listName)
        unsubscribe = wantsLinks ? try given ?? Unsubscribe(workspace: workspace) : nil
        if let base = settings.delivery.returnPath, let month = YearMonth(iso: issue.id) {
            // Signed with the unsubscribe secret: one secret per workspace.
            let secret = try unsubscribe?.secret ?? given?.secret ?? Unsubscribe(workspace: workspace).secret
            do {
                let address = try MailAddress(base)
                // Checked once here, so a per-message failure cannot happen mid-send.
                _ = try address.tagged(String(repeating: "a", count: 26))
                returnPath = (address, ReturnPathSigner(secret: secret, list: listName, month: month))
            } catch {
                throw Diagnostic.error(settings.position(of: "delivery.return_path"), error.message)
            }
        } else {
            returnPath = nil
        }
        let prototype = MIMEMessage(
            from: from, replyTo: replyTo, to: from, subject: issue.subject, date: date, messageID: "x@x",
            list: ListHeaders(id: listID, title: listTitle), text: "", html: "")
        do {
            shared = try SharedHeaders(for: prototype)
        } catch {
            throw Diagnostic.error(settings.position(of: "network"), error.message)
        }
    }

    /// Throws, at the setting, when a recipient's unsubscribe link on list `listName` could
    /// make a List-Unsubscribe line past what mail allows: a link cannot be folded inside,
    /// and its token grows with the address (up to 254 bytes) and the list name.
    public static func checkLinkLengths(settings: Settings, listName: String) throws {
        let token = UnsubscribeToken.longestEncodedLength(list: listName)
        let marker = "{token}"
        // A fold's space, the angle brackets and a comma after the mailto.
        if let url = settings.unsubscribe.url {
            let markers = url.components(separatedBy: marker).count - 1
            try check(url.utf8.count + markers * (token - marker.utf8.count) + 3, "unsubscribe.url")
        }
        if let mailto = settings.unsubscribe.mailto {
            let longest = Unsubscribe.mailto(mailto, token: String(repeating: "x", count: token)).utf8.count
            try check(longest + 4, "unsubscribe.mailto")
        }
        func check(_ length: Int, _ key: String) throws {
            guard length > MIMEMessage.longestHeaderLine else { return }
            throw Diagnostic.error(settings.position(of: key),
                "\(key) is too long: with the token of a recipient of list \(listName) (up to \(token) characters) "
                    + "its List-Unsubscribe line could reach \(length) octets, and mail allows \(MIMEMessage.longestHeaderLine) "
                    + "with no place to fold inside a link: shorten it by \(length - MIMEMessage.longestHeaderLine)")
        }
    }

    /// Throws when the links are a preview's placeholders: a message that leaves the machine
    /// carries only links signed with the workspace's own secret.
    public func requireSignedLinks(workspace: Workspace) throws {
        guard let unsubscribe, unsubscribe.isPreview else { return }
        throw Diagnostic.error(workspace.settings.position(of: "unsubscribe"),
            "unsubscribe links are unsigned placeholders; set the signing secret: \(Secret.howToMakeOne)")
    }

    /// The Message-ID of `address`'s copy.
    public func messageID(_ address: MailAddress) -> String {
        MIMEMessage.messageID(issue: newsletter.issue.id, list: listName, recipient: address, domain: network.domain)
    }

    /// The MIME message for one subscriber: their strings spliced between their variant's
    /// runs, which are encoded once for every recipient of the variant.
    public func message(for subscriber: Subscriber, address: MailAddress) throws -> MIMEMessage {
        let links = unsubscribe?.links(for: subscriber, list: listName)
        let url = links?.url
        let recipient = Newsletter.Recipient(subscriber, unsubscribeURL: url ?? "")
        let encoded = try variants.value(for: recipient.variant) {
            try newsletter.pieces(for: recipient).map(EncodedVariant.init)
        }
        let text: BodyText
        let html: BodyText
        if let encoded {
            (text, html) = encoded.bodies(for: recipient)
        } else {
            let rendered = try newsletter.renderInFull(for: subscriber, unsubscribeURL: url ?? "")
            (text, html) = (BodyText(rendered.text), BodyText(rendered.html))
        }
        return MIMEMessage(
            from: from, replyTo: replyTo, to: Mailbox(name: subscriber.name, address: address),
            subject: newsletter.issue.subject, date: date, messageID: messageID(address),
            list: ListHeaders(id: listID, title: listTitle, unsubscribeMailto: links?.mailto, unsubscribeURL: url),
            textBody: text, htmlBody: html)
    }

    /// The wire bytes and envelope for one subscriber.
    public func rendered(for subscriber: Subscriber, address: MailAddress) throws -> RenderedMessage {
        let message = try message(for: subscriber, address: address)
        return RenderedMessage(envelope: try envelope(for: address), bytes: try message.encoded(sharing: shared))
    }

    /// The envelope of `address`'s copy, without making the message: the delivery engine
    /// sends it while the message is made (`Delivery.envelope`).
    public func envelope(for address: MailAddress) throws -> Envelope {
        var sender = from.address
        if let returnPath {
            sender = try returnPath.base.tagged(returnPath.signer.token(forKey: address.key))
        }
        return Envelope(from: sender, to: address, messageID: messageID(address))
    }
}

/// A variant's pieces with their fixed runs quoted-printable encoded once.
struct EncodedVariant: Sendable {
    let pieces: PersonalisedPieces
    let text: [SharedText]
    let html: [SharedText]

    init(_ pieces: PersonalisedPieces) {
        self.pieces = pieces
        text = pieces.textRuns.map(SharedText.init)
        html = pieces.htmlRuns.map(SharedText.init)
    }

    /// The two bodies for `recipient`: the shared runs with the recipient's text between.
    func bodies(for recipient: Newsletter.Recipient) -> (text: BodyText, html: BodyText) {
        let personal = pieces.personal(recipient)
        return (Self.body(text, personal.text), Self.body(html, personal.html))
    }

    private static func body(_ shared: [SharedText], _ own: [String]) -> BodyText {
        var runs: [BodyText.Run] = []
        runs.reserveCapacity(shared.count + own.count)
        for (run, text) in zip(shared, own) {
            runs.append(.shared(run))
            runs.append(.text(text))
        }
        if let last = shared.last { runs.append(.shared(last)) }
        return BodyText(runs: runs)
    }
}
