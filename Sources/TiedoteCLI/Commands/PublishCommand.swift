import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteExport
import TiedotePublish

/// `tiedote publish kalenteri`: the events of a period, published to the regional calendar's
/// Linked Events API.
struct PublishCommand: ParsableCommand {
    /// The services `publish` can talk to.
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case kalenteri
    }

    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish events to the regional calendar (Linked Events API).",
        discussion: """
            Creates the events the calendar does not have, updates the ones that changed, \
            cancels or postpones the ones marked so, and leaves the rest alone; \
            Sent/kalenteri.journal remembers what was sent, so running again sends only what changed. \
            The API key comes from exports.kalenteri.api_key_env or api_key_file and is never printed.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The service: kalenteri.")
    var target: Target

    @OptionGroup var period: PeriodOptions

    @Flag(name: .long, help: "Show what would be sent; send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Delete from the calendar the published events whose file is gone.")
    var prune = false

    func validate() throws {
        _ = try period.days()
    }

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let days = try period.days()
            let events = days.map { workspace.events(from: $0.first, to: $0.last) } ?? workspace.events
            let client = dryRun ? nil : try Self.client(for: workspace)
            var journal = try Self.withPublishError { try PublishJournal(url: workspace.url(PublishJournal.path)) }
            let publisher = Publisher(settings: workspace.settings, client: client, prune: prune, now: Clock.now())
            let report = try Self.withPublishError {
                try publisher.run(events, knownIDs: Set(workspace.events.map(\.calendarID)), journal: &journal)
            }
            console.report(report.diagnostics)
            report.lines.forEach(console.print)
            let order = ["created", "updated", "cancelled", "postponed", "deleted", "unchanged", "skipped"]
            let counts = order.map { "\(report.counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
            console.print("publish kalenteri\(dryRun ? " (dry run)" : ""): \(counts)")
            if report.hasErrors { throw ExitCode(1) }
        }
    }

    /// The API client from `exports.kalenteri`: its address and its key.
    static func client(for workspace: Workspace) throws -> LinkedEventsClient {
        let settings = workspace.settings.exports.kalenteri
        guard let apiURL = settings.apiURL else {
            throw Diagnostic.error(workspace.settings.position(of: "exports.kalenteri"),
                "publishing needs the calendar's API: set exports.kalenteri.api_url (like https://…/v1/) in tiedote.yml")
        }
        let key = try Secret.read(env: settings.apiKeyEnv, file: settings.apiKeyFile, workspace: workspace.root)
        guard let key else {
            let name = settings.apiKeyEnv.map { "the environment variable \($0)" } ?? settings.apiKeyFile.map { "the file \($0)" }
            throw Diagnostic.error(workspace.settings.position(of: "exports.kalenteri.api_url"),
                name.map { "no API key: put the calendar's key in \($0)" }
                    ?? "no API key: set exports.kalenteri.api_key_env (or api_key_file) in tiedote.yml and put the key there")
        }
        return LinkedEventsClient(base: apiURL, key: key)
    }

    /// Runs `body`, turning a `PublishError` into an error line.
    static func withPublishError<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PublishError { throw Diagnostic.error(nil, error.description) }
    }
}
