import Foundation
import Testing
@testable import TiedoteCore

/// `AtomicFile`'s guarantees.
@Suite struct FileSafetyTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func severalFilesAreWrittenTogetherAndNoTemporaryStays() throws {
        let root = try folder()
        let files = ["a.txt", "b.txt"].map { (root.appendingPathComponent($0), Data($0.utf8)) }
        try AtomicFile.write(files)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["a.txt", "b.txt"])
        #expect(try String(contentsOf: files[1].0, encoding: .utf8) == "b.txt")
    }

    @Test func nothingButARegularFileIsReplaced() throws {
        let root = try folder()
        let pipe = root.appendingPathComponent("pipe")
        #expect(mkfifo(pipe.path, 0o644) == 0)
        let sub = root.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: sub)
        for (url, what) in [(pipe, "a pipe"), (sub, "a folder"), (link, "a symbolic link")] {
            let fresh = root.appendingPathComponent("fresh.txt")
            do {
                try AtomicFile.write([(fresh, Data("x".utf8)), (url, Data("x".utf8))])
                Issue.record("\(what) was replaced")
            } catch let diagnostic as Diagnostic {
                #expect(diagnostic.message.hasPrefix("this is \(what), not a regular file"))
            }
            #expect(!FileManager.default.fileExists(atPath: fresh.path), "nothing of the set is written")
        }
    }

    @Test func aFileInTheWayOfAFolderIsSaidInWords() throws {
        let root = try folder()
        let file = root.appendingPathComponent("file")
        try Data().write(to: file)
        do {
            try AtomicFile.write(Data("x".utf8), to: file.appendingPathComponent("sub/x.txt"))
            Issue.record("wrote under a file")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.message.contains("a file is in the way"))
        }
    }
}
