import ArgumentParser
import TiedoteCore

/// Where commands print: results to stdout, problems to stderr.
///
/// Output that cannot be written (a closed pipe, a full disk) is dropped: see `ConsoleStream`.
public struct Console: Sendable {
    /// Print only errors.
    public var quiet: Bool
    /// Print details.
    public var verbose: Bool

    /// Creates a console from the global options.
    public init(_ options: GlobalOptions) {
        quiet = options.quiet
        verbose = options.verbose
    }

    /// A result line, on stdout unless `--quiet`.
    public func print(_ line: String) {
        guard !quiet else { return }
        ConsoleStream.output.write(line + "\n")
    }

    /// A detail line, on stdout only with `--verbose`.
    public func detail(_ line: String) {
        guard verbose, !quiet else { return }
        ConsoleStream.output.write(line + "\n")
    }

    /// A problem, on stderr (warnings are hidden by `--quiet`).
    public func report(_ diagnostic: Diagnostic) {
        if quiet && diagnostic.severity == .warning { return }
        ConsoleStream.error.write(diagnostic.description + "\n")
    }

    /// Problems, on stderr.
    public func report(_ diagnostics: [Diagnostic]) {
        diagnostics.forEach(report)
    }

    /// Said when another command holds the workspace lock (see `WorkspaceLock`).
    public func waitingForLock() {
        detail("waiting for another tiedote command that is changing the workspace's lists")
    }

    /// Runs a command body: problems it throws are printed as `path:line:column: error: …`
    /// and turned into exit status 1.
    public func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let diagnostics as Diagnostics {
            report(diagnostics.items)
            throw ExitCode(1)
        } catch let diagnostic as Diagnostic {
            report(diagnostic)
            throw ExitCode(1)
        } catch {
            // A file error that no step worded itself: in words with its path, never a dump.
            guard let diagnostic = FileSync.diagnostic(for: error) else { throw error }
            report(diagnostic)
            throw ExitCode(1)
        }
    }
}

/// "1 event", "21 events": a count with its noun.
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
