import ArgumentParser
import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteSend
import TiedoteMail

/// One real send: journal, engine, progress, bounces and the summary.
struct SendRun {
    let plan: SendPlan
    let audience: SendAudience
    let workspace: Workspace
    let console: Console

    /// Runs `body`, turning a `MailError` into a diagnostic.
    static func mail<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as MailError { throw Diagnostic.error(nil, error.message) }
    }

    /// Relay `index`'s SMTP settings from `tiedote.yml` (the first relay by default), with the
    /// password read from where they say; `urlOverride` (`--smtp`) names another server.
    static func smtpConfiguration(workspace: Workspace, urlOverride: String?, relay index: Int = 0) throws -> SMTPConfiguration {
        let settings = workspace.settings
        let relays = settings.delivery.relays
        let smtp = relays.indices.contains(index) ? relays[index] : nil
        let path = settings.relayPath(index)
        guard let url = urlOverride ?? smtp?.url else {
            throw Diagnostic.error(
                settings.position(of: "delivery"), "no SMTP server: set delivery.smtp.url in tiedote.yml or give --smtp URL")
        }
        // tiedote.yml's TLS policy belongs to its own relay: another server named with --smtp
        // gets the default (TLS required unless on loopback).
        let sameRelay = urlOverride == nil || urlOverride == smtp?.url
        let explicit = sameRelay && settings.positions["\(path).tls"] != nil
        let tls = SMTPConfiguration.effectiveTLS(
            configured: sameRelay ? smtp?.tls ?? .required : .required, explicit: explicit, url: url)
        let password = try Secret.read(env: smtp?.passwordEnv, file: smtp?.passwordFile, workspace: workspace.root)
        if let username = smtp?.username, password == nil {
            let places = [smtp?.passwordEnv.map { "the environment variable \($0)" }, smtp?.passwordFile.map { "the file \($0)" }]
                .compactMap { $0 }
            let hint = places.isEmpty ? "name one with \(path).password_env or password_file" : "set " + places.joined(separator: " or ")
            throw Diagnostic.error(settings.position(of: "\(path).username"), "no SMTP password for \(username): \(hint)")
        }
        let caFile = smtp?.caFile.map { $0.hasPrefix("/") ? $0 : workspace.url($0).path }
        let configuration = SMTPConfiguration(
            url: url, tls: tls, caFile: caFile, username: smtp?.username, password: password,
            ehloName: settings.network.domain, timeouts: smtp?.timeouts ?? SMTPTimeouts())
        try mail { try configuration.validate() }
        return configuration
    }

    /// The real send.
    func send(options: DeliveryOptions, relays: [DeliveryRelay], transportName: String) throws {
        let issue = plan.newsletter.issue.id
        let journalURL = Journal.url(workspace: workspace.root, issue: issue, list: plan.listName)
        try workspace.refuseLinks()
        let header = JournalHeader(issue: issue, list: plan.listName)
        let journal = try Self.mail { try Journal(url: journalURL, header: header) }
        defer { try? journal.close() }
        let known = journal.initialState
        if known.damagedLines > 0 {
            console.report(.warning(
                SourcePosition(path: workspace.displayPath("Sent/\(journalURL.lastPathComponent)")),
                "\(known.damagedLines) damaged journal line(s) ignored (a run was stopped while writing)"))
        }
        suppressJournaledBounces(known)
        let misjudged = Self.suppressedWithoutBadMailbox(known, workspace: workspace)
        if let first = misjudged.first {
            console.report(.warning(
                SourcePosition(path: workspace.displayPath(Workspace.suppressionFile)),
                "\(misjudged.count) address(es) here as bounced failed in an earlier run with a reply that says "
                    + "nothing about the mailbox (\(ReplyGroup.display(code: first.code, text: first.text, key: first.key))), "
                    + "so no send reaches them: remove their rows to reach them again, then send with --retry-failed "
                    + "(tiedote status lists them)"))
        }
        let plan = plan
        let total = audience.count
        let progress = ProgressLine(enabled: isatty(2) == 1 && !console.quiet, total: total)
        console.detail("sending \(issue) to \(total) recipients of \(plan.listName) through \(transportName), "
            + "\(relays.reduce(0) { $0 + $1.connections }) connection(s)")
        let console = console
        // Each message is made on the list's thread as its row is read, so a connection's cycle
        // holds only the SMTP dialogue (bench "Send 10,000, 4 conn"); not for a recipient an
        // earlier run settled, whom the engine passes over.
        let recipients = audience.stream(
            prepare: { recipient in
                switch known[recipient.key]?.state {
                case .sent?, .failed?: return nil
                default: return try? plan.rendered(for: recipient.subscriber ?? Subscriber(email: recipient.address.value), address: recipient.address)
                }
            },
            onProblem: { error in
                console.report(.error(nil, "the list changed during the send: \(error); run the same command again"))
            })
        var engine = Delivery(options: options, journal: journal)
        // An unsubscribe during the send reaches the file: each message not yet started is
        // checked against it (see `SuppressionWatch`).
        let watch = try SuppressionWatch(workspace: workspace)
        engine.isWithdrawn = { watch.contains($0.subscriber?.email ?? $0.address.value) }
        // Each message is made while its connection opens and sends the envelope: at a relay
        // tens of milliseconds away the making costs no wall time.
        engine.envelope = { try plan.envelope(for: $0.address) }
        engine.madeAlready = { recipients.prepared(for: $0, waiting: false) }
        let summary = engine.run(
            recipients: recipients, total: total,
            render: { recipient in
                if let message = recipients.prepared(for: recipient) { return message }
                let subscriber = recipient.subscriber ?? Subscriber(email: recipient.address.value)
                return try plan.rendered(for: subscriber, address: recipient.address)
            },
            relays: relays,
            progress: { progress.show($0) })
        progress.finish()
        try report(summary, total: total)
    }

    /// Shows what adding bounced addresses to the suppression list did; `detail` words each
    /// address added (nil: only the count, at the end of the summary).
    private func show(_ outcome: BounceSuppression, added detail: ((String) -> String)? = nil) {
        let file = SourcePosition(path: workspace.displayPath(Workspace.suppressionFile))
        if let error = outcome.lockError {
            console.report(.error(file, "could not lock the workspace to update the suppression list: \(error)"))
        }
        if let detail { for key in outcome.added { console.detail(detail(key)) } }
        for failure in outcome.failures {
            console.report(.error(file,
                "could not add the bounced address \(failure.address) to the suppression list: \(failure.error)"))
        }
    }

    /// Journal failures whose address is suppressed as bounced although the reply said nothing
    /// about the mailbox (a relay wanting AUTH, say): an older Tiedote suppressed those.
    static func suppressedWithoutBadMailbox(
        _ state: JournalState, workspace: Workspace
    ) -> [(key: String, code: Int, text: String)] {
        MisjudgedBounce.all(in: state, workspace: workspace).map { ($0.key, $0.code, $0.text) }
    }

    /// A run stopped before its summary may have journaled bounces without suppressing them.
    private func suppressJournaledBounces(_ state: JournalState) {
        show(BounceSuppression.journaled(in: state, workspace: workspace, waiting: console.waitingForLock)) {
            "\($0): bounced in an earlier run; added to \(Workspace.suppressionFile)"
        }
    }

    private func report(_ summary: DeliverySummary, total: Int) throws {
        let suppressed = BounceSuppression.afterSend(summary, workspace: workspace, waiting: console.waitingForLock)
        show(suppressed)
        let bounced = suppressed.added.count
        let done = summary.sent + summary.alreadySent
        console.print("\(plan.newsletter.issue.id) to \(plan.listName): sent \(summary.sent) now, "
            + "\(summary.alreadySent) earlier, \(done) of \(total) in all")
        for failure in summary.failures {
            console.print("failed \(failure.address): \(ReplyGroup.display(code: failure.code, text: failure.text, key: ""))"
                + (failure.isBounce ? " (added to \(Workspace.suppressionFile) as bounced)" : ""))
        }
        if summary.alreadyFailed > 0 {
            console.print("failed in an earlier run: \(summary.alreadyFailed) (tiedote status lists them by reply; "
                + "send again with --retry-failed to try them again)")
        }
        for group in ReplyGroup.groups(summary.held.map { ($0.key, $0.code, $0.text) }) {
            console.print("held back \(group.keys.count), pending: the relay answered \(group.reply); "
                + "that says nothing about the address")
            for key in group.keys.prefix(console.verbose ? group.keys.count : 10) { console.print("  \(key)") }
            if !console.verbose && group.keys.count > 10 { console.print("  … and \(group.keys.count - 10) more (--verbose lists them all)") }
        }
        for key in summary.uncertain {
            console.print("uncertain \(key): was in flight when the last run stopped; sent again if still on the list, so it may have two copies")
        }
        for key in summary.resentAfterBrokenConnection { console.print("uncertain \(key): the connection broke after the whole message; sent again") }
        if !summary.suppressedDuringSend.isEmpty {
            let names = summary.suppressedDuringSend.sorted().joined(separator: ", ")
            console.print("suppressed during the send: \(summary.suppressedDuringSend.count) (added to "
                + "\(Workspace.suppressionFile) while the send ran, e.g. unsubscribed; not sent: \(names))")
        }
        // What the relays made the run do, also when no progress line showed it (not a terminal).
        for notice in summary.notices { console.print("relay \(notice)") }
        if !summary.pending.isEmpty { console.print("pending: \(summary.pending.count) (run the same command again to send them)") }
        if summary.duplicatesInList > 0 { console.print("the list names \(summary.duplicatesInList) address(es) twice; each got one message") }
        if bounced > 0 { console.detail("\(bounced) bounced address(es) added to \(Workspace.suppressionFile)") }
        console.detail(String(format: "%.1f s, %d journal fsyncs", summary.elapsed, summary.journalSyncs))
        if let stop = summary.stoppedBy {
            console.report(.error(nil, stop.message))
            throw ExitCode(1)
        }
        if !summary.pending.isEmpty || !summary.failures.isEmpty { throw ExitCode(1) }
        console.print("finished")
    }
}
