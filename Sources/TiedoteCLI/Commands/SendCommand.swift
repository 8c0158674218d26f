import ArgumentParser
import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteSend
import TiedoteMail

/// `tiedote send`: send a month's newsletter to a mailing list.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a month's newsletter to a mailing list.",
        discussion: """
            Each recipient gets one personalised message. The journal in Sent/ records every \
            recipient, so running the same command again after an interruption sends only to \
            those still owed a message. The SMTP password comes from the environment variable \
            or file that tiedote.yml names, never from the command line.
            """
    )

    /// How messages leave the machine.
    enum TransportChoice: String, ExpressibleByArgument, CaseIterable {
        case smtp
        case outbox
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The issue's month, YYYY-MM (Issues/YYYY-MM.md).")
    var month: YearMonth

    @Option(name: .long, help: "The mailing list (Lists/NAME.csv).")
    var list: String

    @Option(name: .long, help: "Send only to FIELD=VALUE (municipality, interests, language; a,b for either); repeat to combine.")
    var segment: [String] = []

    @Flag(name: .long, help: "Render and check every message, say how long the send would take; send nothing, write no journal.")
    var dryRun = false

    @Option(name: .long, help: "Send one test copy to this address only (no journal).")
    var to: String?

    @Flag(name: .long, help: "Send again to recipients that failed in an earlier run (tiedote status lists them).")
    var retryFailed = false

    @Option(name: .long, help: "smtp or outbox (default: delivery.transport in tiedote.yml).")
    var transport: TransportChoice?

    @Option(name: .long, help: "SMTP server URL, smtp://host:587 or smtps://host:465 (default: delivery.smtp.url).")
    var smtp: String?

    @Option(name: .long, help: "Parallel SMTP connections (default: delivery.connections).")
    var connections: Int?

    @Option(name: .long, help: "At most this many messages a minute, N/min (default: delivery.rate_per_minute).")
    var rate: String?

    func validate() throws {
        let range = Settings.Delivery.connectionRange
        if let connections, !range.contains(connections) {
            throw ValidationError("--connections must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if let rate, Self.parseRate(rate) == nil {
            throw ValidationError("--rate must be a number of messages a minute, like 600/min")
        }
        if let smtp, !(smtp.hasPrefix("smtp://") || smtp.hasPrefix("smtps://")) {
            throw ValidationError("--smtp must start with smtp:// (STARTTLS) or smtps:// (TLS)")
        }
        if let smtp, smtp.contains("@") {
            throw ValidationError("--smtp must not carry a user name or password; set delivery.smtp.username and password_env in tiedote.yml")
        }
    }

    /// `600/min`, `600/m` or `600`.
    static func parseRate(_ text: String) -> Int? {
        var number = Substring(text.lowercased())
        for suffix in ["/min", "/m"] where number.hasSuffix(suffix) { number = number.dropLast(suffix.count) }
        guard let value = Int(number), value > 0 else { return nil }
        return value
    }

    func run() throws {
        let console = Console(global)
        // A server that closes a TLS connection under a write must cost one message, not the
        // process: libcurl leaves SIGPIPE alone when told not to use signals (threads).
        signal(SIGPIPE, SIG_IGN)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let composition = try Composition(workspace: workspace, month: month)
            let knownLists = try workspace.listNames()
            guard workspace.settings.lists[list] != nil || knownLists.contains(list) else {
                throw Diagnostic.error(
                    workspace.settings.position(of: "lists"),
                    "there is no list '\(list)': add Lists/\(list).csv (tiedote lists import FILE --list \(list))")
            }
            // A dry run may preview with placeholder links (and says so); a send never does.
            if dryRun, let warning = composition.previewWarning { console.report(warning) }
            let plan = try SendPlan(
                workspace: workspace, newsletter: composition.newsletter, listName: list, date: Clock.now(),
                unsubscribe: dryRun ? composition.sampleUnsubscribe : nil)
            if !dryRun { try plan.requireSignedLinks(workspace: workspace) }
            if let to {
                try sendTestCopy(to: to, plan: plan, workspace: workspace, console: console)
                return
            }
            let audience = try SendAudience(
                workspace: workspace, list: list, segment: try Segment(parsing: segment), collect: dryRun)
            if !segment.isEmpty {
                console.print("segment \(segment.joined(separator: " ")): \(audience.count) recipient(s), "
                    + "\(audience.outsideSegment) outside it")
            }
            if dryRun {
                try SendRun.dryRun(plan: plan, audience: audience, console: console, pace: pace(settings: workspace.settings))
                return
            }
            // One whole message before any connection: a problem common to all stops here.
            if let first = audience.first {
                _ = try SendRun.mail { try plan.rendered(for: first.subscriber, address: first.address) }
            }
            let options = DeliveryOptions(
                connections: connections ?? workspace.settings.delivery.connections,
                ratePerMinute: rate.flatMap(Self.parseRate) ?? workspace.settings.delivery.ratePerMinute,
                retryFailed: retryFailed)
            let relays = try deliveryRelays(workspace: workspace, console: console, options: options)
            let run = SendRun(plan: plan, audience: audience, workspace: workspace, console: console)
            try run.send(options: options, relays: relays.relays, transportName: relays.name)
        }
    }

    /// One copy for a test reader, rendered as the list's own row for that address when there is
    /// one, else as the sample recipient.
    private func sendTestCopy(to text: String, plan: SendPlan, workspace: Workspace, console: Console) throws {
        let address: MailAddress
        do { address = try MailAddress(text) } catch { throw Diagnostic.error(nil, "--to: \(error.message)") }
        if let row = try workspace.suppressions().suppression(for: address.value) {
            throw Diagnostic.error(nil,
                "--to: \(address) is on \(Workspace.suppressionFile) (\(row.reason.rawValue)) and is never mailed; use another address for the test copy")
        }
        var subscriber = Composition.sampleRecipient
        subscriber.email = address.value
        if let audience = try? SendAudience(workspace: workspace, list: list),
            let index = audience.addresses.firstIndex(where: { $0.key == address.key })
        {
            subscriber = audience.subscribers[index]
        }
        let message = try SendRun.mail { try plan.rendered(for: subscriber, address: address) }
        if dryRun {
            console.print("dry run: a test copy for \(address) would be \(message.bytes.count) bytes; nothing sent")
            return
        }
        let transport = try transportFactory(workspace: workspace, console: console)
        let outcome = try SendRun.mail { try transport.make().send(message.bytes, envelope: message.envelope) }
        guard case .sent(let code, let reply) = outcome else {
            throw Diagnostic.error(
                nil, "the test copy to \(address) was not sent: \(ReplyGroup.display(code: outcome.code, text: outcome.text, key: ""))")
        }
        console.print("sent a test copy of \(plan.newsletter.issue.id) to \(address) through \(transport.name) (\(reply.hasPrefix(String(code)) ? reply : "\(code) \(reply)"))")
    }

    /// Where a send goes: the outbox, the relay `--smtp` names, or every relay of
    /// `tiedote.yml` with its own limits, password and TLS policy; and a name for messages.
    /// `--connections` overrides the one relay's connections, or is the default of relays
    /// without their own.
    private func deliveryRelays(
        workspace: Workspace, console: Console, options: DeliveryOptions
    ) throws -> (relays: [DeliveryRelay], name: String) {
        let delivery = workspace.settings.delivery
        let choice = chosenTransport(delivery)
        guard choice == .smtp, smtp == nil, !delivery.relays.isEmpty else {
            let single = try transportFactory(workspace: workspace, console: console)
            let name = choice == .smtp ? (smtp.flatMap(Settings.SMTP.host(of:)) ?? "") : ""
            return ([DeliveryRelay(name: name, connections: options.connections, makeTransport: single.make)], single.name)
        }
        var relays: [DeliveryRelay] = []
        for (index, relay) in delivery.relays.enumerated() {
            var configuration = try SendRun.smtpConfiguration(workspace: workspace, urlOverride: nil, relay: index)
            // A slow relay must not look like a hung send: say what is awaited.
            configuration.waitNotice = { wait in console.report(.warning(nil, wait.description)) }
            configuration.noticeAfter = console.verbose ? 1 : 10
            let ready = configuration
            let count = delivery.relays.count == 1
                ? connections ?? relay.connections ?? delivery.connections
                : relay.connections ?? options.connections
            relays.append(DeliveryRelay(
                name: relay.displayName, connections: count, ratePerMinute: relay.ratePerMinute,
                messagesPerConnection: relay.messagesPerConnection, makeTransport: { try SMTPTransport(ready) }))
        }
        let name = delivery.relays.map { "\($0.url) (\($0.displayName))" }.joined(separator: ", ")
        return (relays, name)
    }

    /// The transport this send uses: `--transport`, else SMTP when `--smtp` names a relay, else
    /// `delivery.transport`.
    func chosenTransport(_ delivery: Settings.Delivery) -> TransportChoice {
        transport ?? (smtp != nil ? .smtp : TransportChoice(rawValue: delivery.transport.rawValue) ?? .outbox)
    }

    /// The chosen transport, as a factory (one per connection) and a name for messages.
    private func transportFactory(
        workspace: Workspace, console: Console
    ) throws -> (make: @Sendable () throws -> any Transport, name: String) {
        let delivery = workspace.settings.delivery
        let choice = chosenTransport(delivery)
        switch choice {
        case .outbox:
            let folder = workspace.url("\(Workspace.Folder.out)/outbox")
            return ({ try OutboxTransport(folder: folder) }, "the outbox \(workspace.displayPath("out/outbox"))")
        case .smtp:
            var configuration = try SendRun.smtpConfiguration(workspace: workspace, urlOverride: smtp)
            // A slow relay must not look like a hung send: say what is awaited.
            configuration.waitNotice = { wait in console.report(.warning(nil, wait.description)) }
            configuration.noticeAfter = console.verbose ? 1 : 10
            let ready = configuration
            return ({ try SMTPTransport(ready) }, ready.url)
        }
    }
}
