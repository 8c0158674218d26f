import Foundation
import TiedoteCore

extension Newsletter {
    /// Reads and parses the workspace's templates and prepares `issue`.
    ///
    /// Every `Templates/*.md` other than the body is a partial, named by its file name
    /// without `.md` (`{{> event}}` is `Templates/event.md`).
    public static func load(issue: Issue, workspace: Workspace) throws -> Newsletter {
        let templates = try TemplateSet.load(root: workspace.root)
        return try Newsletter(
            issue: issue, workspace: workspace, body: templates.body, layout: templates.layout,
            textLayout: templates.textLayout, partials: templates.partials)
    }
}

/// The newsletter's templates, parsed.
public struct TemplateSet: Sendable {
    /// `Templates/newsletter.md`.
    public var body: Template
    /// `Templates/layout.html`.
    public var layout: Template
    /// `Templates/layout.txt`, when the workspace has one.
    public var textLayout: Template?
    /// The other `Templates/*.md`, by name.
    public var partials: [String: Template]

    /// Reads and parses every template of the workspace at `root`, reporting all syntax
    /// problems together.
    public static func load(root: URL) throws -> TemplateSet {
        var problems = Diagnostics()
        func parse(_ name: String) -> Template? {
            let relative = "\(Workspace.Folder.templates)/\(name)"
            let path = Workspace.displayPath(relative, root: root)
            return problems.take(Result {
                let source = try Workspace.readText(root.appendingPathComponent(relative), display: path)
                let template = try Template(parsing: source, path: path)
                // Markdown templates are merged into the newsletter as they are: their own
                // nesting is reported at its place here, before any render.
                if name.hasSuffix(".md"), let problem = MarkdownDocument(source).nestingProblem(from: SourcePosition(path: path)) {
                    throw problem
                }
                return template
            })
        }
        let body = parse(Newsletter.File.body)
        let layout = parse(Newsletter.File.layout)
        let textLayoutPath = root.appendingPathComponent("\(Workspace.Folder.templates)/\(Newsletter.File.textLayout)").path
        let textLayout = FileManager.default.fileExists(atPath: textLayoutPath) ? parse(Newsletter.File.textLayout) : nil
        var partials: [String: Template] = [:]
        let folder = root.appendingPathComponent(Workspace.Folder.templates).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where name.hasSuffix(".md") && name != Newsletter.File.body && !name.hasPrefix(".") {
            if let template = parse(name) { partials[String(name.dropLast(3))] = template }
        }
        try problems.throwIfErrors()
        guard let body, let layout else { throw problems }
        return TemplateSet(body: body, layout: layout, textLayout: textLayout, partials: partials)
    }

    /// Every name in the body and layout that the newsletter context lacks, in every branch:
    /// checked against a specimen context whose lists are non-empty and whose optional
    /// values are present, so each section's body is looked into.
    public func unknownNames() -> [Diagnostic] {
        var context = NewsletterContext.specimen()
        let bodyProblems = body.unknownNames(in: .object(context), partials: partials)
        context[EmailLayout.contentName] = .string("<p></p>")
        let layoutProblems = [layout, textLayout].compactMap { $0 }.flatMap {
            $0.unknownNames(in: .object(context), partials: partials)
        }
        return bodyProblems + layoutProblems
    }
}
