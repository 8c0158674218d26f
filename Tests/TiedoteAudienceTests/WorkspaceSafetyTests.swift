import Foundation
import Testing
@testable import TiedoteAudience
@testable import TiedoteCore

/// The workspace lock's link check, `--out` ownership, mixed encodings in imports, and the
/// suppression list as a send watches it.
@Suite struct WorkspaceSafetyTests {
    @Test func linksInTheStateFoldersAreRefused() throws {
        let workspace = try Fixture.workspace()
        let list = workspace.url("Lists/members.csv")
        let moved = workspace.root.appendingPathComponent("members-elsewhere.csv")
        try FileManager.default.moveItem(at: list, to: moved)
        try FileManager.default.createSymbolicLink(at: list, withDestinationURL: moved)
        #expect(workspace.linkProblems().map(\.position?.path) == [workspace.displayPath("Lists/members.csv")])
        #expect(throws: Diagnostics.self) { try workspace.withLock { } }
        #expect(workspace.checkLists().contains { $0.message.hasPrefix("this is a symbolic link") })
    }

    @Test func theLockIsTakenAndGivenBack() throws {
        let workspace = try Fixture.workspace()
        let value = try workspace.withLock { try workspace.withLockFileHeldElsewhere() }
        #expect(value == false, "a second taker must wait while the first holds the lock")
        #expect(try workspace.withLockFileHeldElsewhere(), "released after the body")
    }

    @Test func onlyOutIsOwned() throws {
        let workspace = try Fixture.workspace()
        try FileManager.default.createDirectory(at: workspace.url("out/x"), withIntermediateDirectories: true)
        let policy = OutputFile(workspace: workspace, force: false)
        #expect(policy.isOwned(workspace.url("out/x/reach.svg")))
        #expect(!policy.isOwned(workspace.url("Lists/members.csv")))
        #expect(throws: Diagnostic.self) { try policy.check(workspace.url("Lists/members.csv")) }
        try OutputFile(workspace: workspace, force: true).check(workspace.url("Lists/members.csv"))
    }

    @Test func utf8WithAStrayByteIsRefusedAndWindows1252Accepted() throws {
        var mixed = Data("sähköposti,nimi\na@example.fi,Äijälä\nb@example.fi,Ny".utf8)
        mixed.append(0xFF)
        mixed.append(Data("strom\n".utf8))
        do {
            _ = try ListImport.merge(mixed, source: "x.csv", list: "members", existing: [], suppressions: SuppressionSet())
            Issue.record("a mixed file was imported")
        } catch let problems as Diagnostics {
            #expect(problems.items.first?.position == SourcePosition(path: "x.csv", line: 3, column: 16))
        }
        let legacy = Data(try #require(Windows1252.encode("sähköposti,nimi\na@example.fi,Äijälä\n")))
        let outcome = try ListImport.merge(legacy, source: "y.csv", list: "members", existing: [], suppressions: SuppressionSet())
        #expect(outcome.subscribers.map(\.name) == ["Äijälä"])
    }

    @Test func theWatchSeesAnUnsubscribeMadeAfterItStarted() throws {
        let workspace = try Fixture.workspace()
        let watch = try SuppressionWatch(workspace: workspace)
        #expect(!watch.contains("uusi.peruja@example.fi"))
        try workspace.suppress("uusi.peruja@example.fi", reason: .unsubscribed)
        #expect(watch.contains("UUSI.peruja@example.fi"))
    }
}

extension Workspace {
    /// True when another open file description could take the lock at once (it is free).
    func withLockFileHeldElsewhere() throws -> Bool {
        let descriptor = open(url(WorkspaceLock.fileName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }
}
