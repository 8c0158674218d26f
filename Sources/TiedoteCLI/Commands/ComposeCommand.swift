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

    @Flag(name: .long, help: "Replace existing files in an --out folder outside out/ (never anything but regular files).")
    var force = false

    func run() throws {
        let console = Console(global)
        try console.run {
            let workspace = try Workspace.load(at: global.workspaceURL)
            let composition = try Composition(workspace: workspace, month: month)
            let rendered = try composition.renderSample()
            let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? workspace.url("\(Workspace.Folder.out)/\(composition.issue.id)")
            if let kind = Self.kind(of: folder), kind != S_IFDIR {
                throw Diagnostic.error(SourcePosition(path: Workspace.shownPath(folder)),
                    "--out names \(AtomicFile.describe(kind)), not a folder: "
                        + "compose writes newsletter.html, .txt, .md and .eml into a folder; give a folder (nothing was written)")
            }
            let files: [(String, Data)] = [
                ("newsletter.html", Data(rendered.html.utf8)), ("newsletter.txt", Data(rendered.text.utf8)),
                ("newsletter.md", Data(rendered.markdown.utf8)), ("newsletter.eml", Data(try composition.sampleMessage())),
            ]
            // All four or none: a full disk leaves neither a part of the set nor a half file.
            try OutputFile(workspace: workspace, force: force).write(
                files.map { (folder.appendingPathComponent($0.0), $0.1) })
            if let warning = composition.previewWarning { console.report(warning) }
            console.report(composition.sizeWarnings(rendered))
            console.print("composed \(composition.issue.id): \(counted(composition.newsletter.events.count, "event")), "
                + "signed by \(composition.newsletter.coordinator.name)")
            for (name, _) in files { console.print("  \(Workspace.shownPath(folder.appendingPathComponent(name)))") }
        }
    }

    /// The `S_IFMT` bits of what is at `url` (a link is followed); nil when nothing is there.
    static func kind(of url: URL) -> mode_t? {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }
}
