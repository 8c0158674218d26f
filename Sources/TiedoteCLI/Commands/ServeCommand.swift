import ArgumentParser
import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteMail
import TiedoteWeb

/// `tiedote serve`: the site plus subscription (double opt-in) and one-click unsubscribe.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the site, the subscription form (/tilaa) and one-click unsubscribe (/peru).",
        discussion: """
            Confirmation mail goes through delivery.transport in tiedote.yml (outbox or SMTP), \
            and links are signed with the unsubscribe secret. Put it behind nginx or Caddy for \
            TLS (see README). The site is built once at start: restart after sending an issue.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "HOST:PORT to listen on.")
    var listen: String = "127.0.0.1:8080"

    @Option(name: .customLong("public-url"), help: "The address readers use, for links in mail (default: network.website).")
    var publicURL: String?

    @Option(name: .customLong("subscribe-limit"), help: "Subscription requests one client may make per hour.")
    var subscribeLimit: Int = 10

    func validate() throws {
        guard Self.parseListen(listen) != nil else {
            throw ValidationError("--listen must be HOST:PORT, like 127.0.0.1:8080")
        }
        guard subscribeLimit > 0 else { throw ValidationError("--subscribe-limit must be at least 1") }
        if let publicURL, !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) {
            throw ValidationError("--public-url must start with https:// (or http:// for a test on this machine)")
        }
    }

    /// `host:port`; the port may be 0 (any free one).
    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), colon != text.startIndex
        else { return nil }
        return (String(text[..<colon]), port)
    }

    func run() throws {
        let console = Console(global)
        signal(SIGPIPE, SIG_IGN)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let site = try SiteCommand.build(workspace)
            console.report(site.diagnostics)
            guard let (host, port) = Self.parseListen(listen) else { throw ValidationError("--listen must be HOST:PORT") }
            let secret = try Unsubscribe(workspace: workspace).secret
            guard let url = publicURL ?? workspace.settings.network.website else {
                throw Diagnostic.error(workspace.settings.position(of: "network"),
                    "no address for links in confirmation mail: set network.website in tiedote.yml or give --public-url")
            }
            let quiet = global.quiet
            let configuration = WebConfiguration(
                workspace: workspace, site: site, secret: secret, publicURL: url, host: host, port: port,
                makeTransport: try Self.transport(workspace), subscribesPerHour: subscribeLimit,
                log: { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } })
            let app = WebApp.application(configuration) { bound in
                FileHandle.standardOutput.write(Data("tiedote serve: listening on http://\(host):\(bound)\n".utf8))
            }
            try Self.blocking { try await app.runService() }
        }
    }

    /// How confirmation mail leaves: `delivery.transport` of tiedote.yml, as `send` does it.
    static func transport(_ workspace: Workspace) throws -> @Sendable () throws -> any Transport {
        switch workspace.settings.delivery.transport {
        case .smtp:
            let configuration = try SendRun.smtpConfiguration(workspace: workspace, urlOverride: nil)
            return { try SMTPTransport(configuration) }
        case .outbox:
            let folder = workspace.url("\(Workspace.Folder.out)/outbox")
            return { try OutboxTransport(folder: folder) }
        }
    }

    /// Runs async `body` to its end from this synchronous command (the other commands are
    /// synchronous, so the root command stays so too).
    static func blocking(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do { try await body() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// The error of a task, handed back to the waiting thread (after its semaphore: no race).
private final class ErrorBox: @unchecked Sendable {
    var error: Error?
}
