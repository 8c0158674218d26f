import ArgumentParser
import Foundation
import Testing
@testable import TiedoteCLI

/// Help text is part of the interface: every command's `tiedote help COMMAND` is kept as a
/// file in `HelpSnapshots/`, so a change to an option or its wording shows up in review.
///
/// After a deliberate change, rewrite the files with `TIEDOTE_UPDATE_SNAPSHOTS=1 swift test
/// --filter HelpSnapshotTests` and review the diff.
struct HelpSnapshotTests {
    /// Every command below `tiedote`, with its path of names (`lists-import`).
    static let commands: [(name: String, type: any ParsableCommand.Type)] = {
        func walk(_ type: any ParsableCommand.Type, _ path: [String]) -> [(String, any ParsableCommand.Type)] {
            let name = type.configuration.commandName ?? type._commandName
            let here = path + [name]
            return [(here.joined(separator: "-"), type)]
                + type.configuration.subcommands.flatMap { walk($0, here) }
        }
        return walk(Tiedote.self, [])
    }()

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("HelpSnapshots")

    @Test(arguments: commands.map(\.name))
    func helpMatchesItsSnapshot(_ name: String) throws {
        let type = try #require(Self.commands.first { $0.name == name }?.type)
        let help = Tiedote.helpMessage(for: type, columns: 100) + "\n"
        let file = Self.folder.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["TIEDOTE_UPDATE_SNAPSHOTS"] == "1" {
            try Data(help.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected, "help for \(name) changed; see the doc comment of HelpSnapshotTests")
    }

    /// A command without a snapshot fails too, so a new command cannot slip by unreviewed.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["TIEDOTE_UPDATE_SNAPSHOTS"] == "1"))
    func everySnapshotBelongsToACommand() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }
        #expect(Set(files) == Set(Self.commands.map(\.name)))
    }
}
