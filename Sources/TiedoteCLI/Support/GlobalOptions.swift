import ArgumentParser
import Foundation
import TiedoteCore

/// Options every command takes.
public struct GlobalOptions: ParsableArguments, Sendable {
    /// The workspace folder.
    @Option(name: .long, help: "The workspace folder.")
    public var workspace: String = "."

    /// Print only errors.
    @Flag(name: .long, help: "Print only errors.")
    public var quiet = false

    /// Print more about each step.
    @Flag(name: .long, help: "Print more about each step.")
    public var verbose = false

    /// Never colour the output.
    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    public var noColor = false

    /// Creates default options.
    public init() {}

    /// The workspace folder as a URL.
    public var workspaceURL: URL { URL(fileURLWithPath: workspace, isDirectory: true) }
}
