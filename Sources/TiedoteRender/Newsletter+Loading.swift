import Foundation
import TiedoteCore

extension Newsletter {
    /// Reads and parses the workspace's templates and prepares `issue`.
    ///
    /// Every `Templates/*.md` other than the body is a partial, named by its file name
    /// without `.md` (`{{> event}}` is `Templates/event.md`).
    public static func load(issue: Issue, workspace: Workspace) throws -> Newsletter {
        let templates = try TemplateSet.load(from: workspace)
        return try Newsletter(
            issue: issue, workspace: workspace, body: templates.body, layout: templates.layout,
            partials: templates.partials)
    }
}

/// The newsletter's templates, parsed.
public struct TemplateSet: Sendable {
    /// `Templates/newsletter.md`.
    public var body: Template
    /// `Templates/layout.html`.
    public var layout: Template
    /// The other `Templates/*.md`, by name.
    public var partials: [String: Template]

    /// Reads and parses every template, reporting all syntax problems together.
    public static func load(from workspace: Workspace) throws -> TemplateSet {
        var problems = Diagnostics()
        func parse(_ name: String) -> Template? {
            let relative = "\(Workspace.Folder.templates)/\(name)"
            let path = workspace.displayPath(relative)
            return problems.take(Result {
                try Template(parsing: try Workspace.readText(workspace.url(relative), display: path), path: path)
            })
        }
        let body = parse(Newsletter.File.body)
        let layout = parse(Newsletter.File.layout)
        var partials: [String: Template] = [:]
        let folder = workspace.url(Workspace.Folder.templates).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where name.hasSuffix(".md") && name != Newsletter.File.body && !name.hasPrefix(".") {
            if let template = parse(name) { partials[String(name.dropLast(3))] = template }
        }
        try problems.throwIfErrors()
        guard let body, let layout else { throw problems }
        return TemplateSet(body: body, layout: layout, partials: partials)
    }
}
