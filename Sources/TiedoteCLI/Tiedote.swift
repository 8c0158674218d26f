import ArgumentParser
import TiedoteCore

/// The `tiedote` command and its subcommands.
public struct Tiedote: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tiedote",
        abstract: "Compose, send and export the network's monthly newsletter and events.",
        subcommands: [
            InitCommand.self, CheckCommand.self, ComposeCommand.self, SendCommand.self, StatusCommand.self, ExportCommand.self, AnnounceCommand.self, ListsCommand.self, UnsubscribeCommand.self, ForgetCommand.self, RotationCommand.self, ReachCommand.self, PublishCommand.self, InboxCommand.self, SiteCommand.self, ServeCommand.self,
        ]
    )

    public init() {}
}
