import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteExport
import TiedoteRender

extension AnnounceChannel: ExpressibleByArgument {}

/// `tiedote announce EVENT-ID`: one event as a short message for a quick channel, on stdout.
struct AnnounceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Write a short announcement of one event for a quick channel.",
        discussion: """
            The message comes from Templates/announce-CHANNEL.md and is printed on stdout. \
            If it breaks the channel's rules (WhatsApp at most 700 characters, \
            LinkedIn at most 1300 and no Markdown), the problem is reported and nothing is printed.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The event's id: its file name in Events/ without .md.")
    var eventID: String

    @Option(name: .long, help: "The channel: \(AnnounceChannel.allCases.map(\.rawValue).joined(separator: ", ")).")
    var channel: AnnounceChannel = .text

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let event = try Self.event(eventID, in: workspace)
            let path = workspace.displayPath(channel.templatePath)
            let source = try Workspace.readText(workspace.url(channel.templatePath), display: path)
            let template = try Template(parsing: source, path: path)
            let result = try Announcement(channel: channel, template: template).render(event, settings: workspace.settings)
            console.report(result.diagnostics)
            guard result.passed else { throw ExitCode(1) }
            // The message is the command's result: printed even with --quiet.
            ConsoleStream.output.write(result.text)
        }
    }

    /// The event with `id`, or an error naming the ids that come closest.
    static func event(_ id: String, in workspace: Workspace) throws -> Event {
        let wanted = id.hasSuffix(".md") ? String(id.dropLast(3)) : (id as NSString).lastPathComponent
        if let event = workspace.events.first(where: { $0.id == wanted }) { return event }
        let near = workspace.events.map(\.id).filter { $0.contains(wanted) || wanted.contains($0) }
        let hint = near.isEmpty ? "the id is the event's file name in Events/ without .md" : "did you mean \(near.prefix(3).joined(separator: ", "))?"
        throw Diagnostic.error(
            SourcePosition(path: workspace.displayPath("\(Workspace.Folder.events)/\(wanted).md")),
            "no event '\(wanted)': \(hint)")
    }
}
