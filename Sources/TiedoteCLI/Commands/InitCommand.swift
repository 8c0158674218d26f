import ArgumentParser
import Foundation
import TiedoteCore

/// `tiedote init [DIR]`: a fresh workspace with settings, templates and an example event.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a fresh workspace folder."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The folder to create (default: the current folder). Existing files are never overwritten.")
    var directory: String = "."

    func run() throws {
        let console = Console(global)
        try console.run {
            let root = URL(fileURLWithPath: directory, isDirectory: true)
            let written = try Starter.write(into: root)
            for path in written { console.print("created \(path)") }
            if written.isEmpty { console.print("nothing to do: every starter file already exists") }
            console.print("next: edit tiedote.yml, then run `tiedote check` in \(directory)")
        }
    }
}
