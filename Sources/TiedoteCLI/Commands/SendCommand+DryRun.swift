import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteSend

extension SendRun {
    /// Renders and checks every message and says how long the send is expected to take;
    /// sends nothing.
    static func dryRun(plan: SendPlan, audience: SendAudience, console: Console, pace: SendCommand.Pace) throws {
        var bytes = 0
        var first: [UInt8] = []
        for (subscriber, address) in zip(audience.subscribers, audience.addresses) {
            let message = try mail { try plan.rendered(for: subscriber, address: address) }
            if first.isEmpty { first = message.bytes }
            bytes += message.bytes.count
        }
        let count = audience.subscribers.count
        console.print("dry run: \(count) messages for \(plan.listName) (\(audience.suppressed) suppressed left out), "
            + "\(bytes / 1024) KB in all, \(count > 0 ? bytes / count / 1024 : 0) KB each on average; nothing sent, no journal written")
        console.print(pace.describe(messages: count))
        guard !first.isEmpty else { return }
        let text = String(decoding: first, as: UTF8.self)
        let headers = text.components(separatedBy: "\r\n\r\n").first ?? ""
        console.print("first message's headers:")
        for line in headers.components(separatedBy: "\r\n") { console.print("  \(line)") }
    }
}

extension SendCommand {
    /// What paces a send: the relays it would use and the whole send's rate, as the real send
    /// would take them from `tiedote.yml` and the options.
    struct Pace {
        /// The relays' limits, in order; empty for the outbox.
        var relays: [SendEstimate.Relay]
        /// The whole send's messages a minute, if limited.
        var ratePerMinute: Int?
        /// Where that rate comes from (`--rate` or the setting).
        var rateSource: String

        /// The `expected duration: …` line for `messages` messages.
        func describe(messages: Int) -> String {
            let estimate = SendEstimate(messages: messages, relays: relays, sendRatePerMinute: ratePerMinute)
            let connections = relays.isEmpty ? "" : "; \(counted(estimate.connections, "connection")) in all"
            guard messages > 0 else { return "expected duration: nothing to send" }
            if let seconds = estimate.seconds, let ceiling = estimate.ceilingPerMinute {
                let cause = estimate.limit == .send
                    ? rateSource
                    : "the relays' own rates, " + relays.map { "\($0.name) \($0.ratePerMinute ?? 0)/min" }.joined(separator: ", ")
                return "expected duration: \(SendEstimate.words(seconds: seconds)) "
                    + "(\(messages) messages at \(ceiling)/min at most: \(cause))\(connections)"
            }
            guard !relays.isEmpty else {
                return "expected duration: depends on the disk: nothing limits the pace of the outbox (no \(rateSource))"
            }
            // Nothing caps the pace: the relays' speed decides. Say what does not limit it, and
            // how long the relays that have a rate would take alone (the others only add).
            let unlimited = relays.filter { $0.ratePerMinute == nil }.map(\.name).joined(separator: ", ")
            var line = "expected duration: depends on the \(relays.count == 1 ? "relay" : "relays"): nothing limits the pace of "
                + "\(unlimited) (no rate_per_minute there nor \(rateSource))\(connections)"
            if let alone = estimate.ratedSeconds {
                let rated = estimate.ratedRelays.map { "\($0.name) (\($0.ratePerMinute ?? 0)/min)" }.joined(separator: ", ")
                line += "; \(rated) alone would take \(SendEstimate.words(seconds: alone))"
            }
            return line
        }
    }

    /// The pace the real send would have, from `tiedote.yml` and `--transport`, `--smtp`,
    /// `--connections` and `--rate`.
    func pace(settings: Settings) -> Pace {
        let delivery = settings.delivery
        let rate = rate.flatMap(Self.parseRate) ?? delivery.ratePerMinute
        let source = self.rate != nil ? "--rate" : "delivery.rate_per_minute"
        let choice = chosenTransport(delivery)
        guard choice == .smtp else { return Pace(relays: [], ratePerMinute: rate, rateSource: source) }
        let whole = connections ?? delivery.connections
        if let smtp {
            // The server --smtp names is the one relay, with no limits but the send's (as sent).
            let name = Settings.SMTP.host(of: smtp) ?? smtp
            return Pace(relays: [SendEstimate.Relay(name: name, connections: whole)], ratePerMinute: rate, rateSource: source)
        }
        let relays = delivery.relays
        let limits = relays.map { relay in
            // With one relay, --connections is exactly today's: that relay's connections.
            let count = relays.count == 1 && connections != nil ? whole : relay.connections ?? whole
            return SendEstimate.Relay(name: relay.displayName, connections: count, ratePerMinute: relay.ratePerMinute)
        }
        return Pace(relays: limits, ratePerMinute: rate, rateSource: source)
    }
}
