import ArgumentParser
import TiedoteCore

/// Months on the command line are written `YYYY-MM`; anything else is refused by the parser.
extension YearMonth: ExpressibleByArgument {
    /// Parses `2026-12`.
    public init?(argument: String) {
        self.init(iso: argument)
    }

    /// Shown in help.
    public static var defaultCompletionKind: CompletionKind { .default }
}
