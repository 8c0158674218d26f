import Foundation

extension Workspace {
    /// Loads and validates `tiedote.yml`, `Events/` and `Issues/`, reporting every problem of
    /// every file together (thrown as `Diagnostics`; warnings come back in `warnings`).
    public static func load(at root: URL) throws -> Workspace {
        var warnings: [Diagnostic] = []
        return try load(at: root, warnings: &warnings)
    }

    /// Loads like `load(at:)`, handing back the warnings of a successful load.
    public static func load(at root: URL, warnings: inout [Diagnostic]) throws -> Workspace {
        let display = DisplayPath(root: root)
        var problems = Diagnostics()
        let settingsText = try readText(root.appendingPathComponent(settingsFile), display: display.of(settingsFile))
        let settings = try Settings.parse(settingsText, path: display.of(settingsFile), problems: &problems)

        var events: [Event] = []
        for name in try fileNames(in: root.appendingPathComponent(Folder.events), ending: ".md") {
            let relative = "\(Folder.events)/\(name)"
            let id = String(name.dropLast(3))
            if let event = problems.take(Result {
                try Event.parse(try readText(root.appendingPathComponent(relative), display: display.of(relative)),
                    id: id, path: display.of(relative), settings: settings, warnings: &warnings)
            }) {
                events.append(event)
            }
        }

        problems.append(contentsOf: duplicateCalendarIDs(events))

        var issues: [YearMonth: Issue] = [:]
        for name in try fileNames(in: root.appendingPathComponent(Folder.issues), ending: ".md") {
            let relative = "\(Folder.issues)/\(name)"
            guard let month = YearMonth(iso: name.dropLast(3)) else {
                problems.append(.error(SourcePosition(path: display.of(relative)),
                    "an issue file is named by its month, like Issues/2026-12.md"))
                continue
            }
            if let issue = problems.take(Result {
                try Issue.parse(try readText(root.appendingPathComponent(relative), display: display.of(relative)),
                    month: month, path: display.of(relative), settings: settings)
            }) {
                issues[month] = issue
            }
        }
        try problems.throwIfErrors()
        warnings.append(contentsOf: problems.items)
        return Workspace(root: root, settings: settings, events: events, issues: issues)
    }

    /// Two events with the same `id:` (or an `id:` equal to another file's name) would share a
    /// calendar UID and a journal line: each one after the first is an error.
    static func duplicateCalendarIDs(_ events: [Event]) -> [Diagnostic] {
        var seen: [String: Event] = [:]
        var problems: [Diagnostic] = []
        for event in events {
            if let first = seen[event.calendarID] {
                problems.append(.error(event.position(of: event.stableID == nil ? "" : Event.Key.id.rawValue),
                    "event id '\(event.calendarID)' is already used by \(first.position(of: "").path): give this event another id"))
            } else {
                seen[event.calendarID] = event
            }
        }
        return problems
    }

    /// Reads a UTF-8 text file; a missing or unreadable file is a problem at that path.
    public static func readText(_ url: URL, display: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostic.error(SourcePosition(path: display), "cannot read the file (is it there?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic.error(SourcePosition(path: display), "the file is not UTF-8 text: save it as UTF-8")
        }
        return text
    }

    /// The names of the files in `folder` ending with `suffix`, sorted; none when it is absent.
    static func fileNames(in folder: URL, ending suffix: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .sorted()
    }

    /// How a path inside this workspace is shown to the user.
    public func displayPath(_ relative: String) -> String {
        Self.displayPath(relative, root: root)
    }

    /// How a path inside the workspace at `root` is shown to the user.
    public static func displayPath(_ relative: String, root: URL) -> String {
        DisplayPath(root: root).of(relative)
    }
}

/// Paths in messages are relative to where the user stands: `Events/x.md` in the workspace
/// itself, `ws/Events/x.md` with `--workspace ws`.
struct DisplayPath {
    let prefix: String

    init(root: URL) {
        let shown = Workspace.shownPath(root)
        prefix = shown.isEmpty ? "" : shown + "/"
    }

    func of(_ relative: String) -> String { prefix + relative }
}

extension Workspace {
    /// A file's path as the user would type it: relative to the current folder when inside
    /// it (empty for the current folder itself), else absolute.
    public static func shownPath(_ url: URL) -> String {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let path = url.standardizedFileURL.path
        if path == current { return "" }
        return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : path
    }
}
