import ArgumentParser
import Foundation
import TiedoteCore
import TiedoteRender

/// `tiedote compose YYYY-MM`: the month's newsletter for a sample recipient, as files.
struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Compose a month's newsletter into out/YYYY-MM/ (HTML, plain text, Markdown, .eml)."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The issue's month, YYYY-MM (Issues/YYYY-MM.md).")
    var month: YearMonth

    @Option(name: .long, help: "Where to write the files (default: out/YYYY-MM in the workspace).")
    var out: String?


    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let composition = try Composition(workspace: workspace, month: month)
            let rendered = try composition.renderSample()
            let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? workspace.url("\(Workspace.Folder.out)/\(composition.issue.id)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files: [(String, Data)] = [
                ("newsletter.html", Data(rendered.html.utf8)), ("newsletter.txt", Data(rendered.text.utf8)),
                ("newsletter.md", Data(rendered.markdown.utf8)), ("newsletter.eml", Data(try composition.sampleMessage())),
            ]
            for (name, content) in files {
                try content.write(to: folder.appendingPathComponent(name), options: .atomic)
            }
            if let warning = composition.previewWarning { console.report(warning) }
            console.report(composition.sizeWarnings(rendered))
            console.print("composed \(composition.issue.id): \(counted(composition.newsletter.events.count, "event")), "
                + "signed by \(composition.newsletter.coordinator.name)")
            for (name, _) in files { console.print("  \(Workspace.shownPath(folder.appendingPathComponent(name)))") }
        }
    }
}
