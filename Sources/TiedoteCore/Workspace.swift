import Foundation

/// A loaded workspace folder: settings, events and issues, validated.
///
/// Lists are not held here: they can be large, so they are read when a command needs them
/// (`Workspace.subscribers(list:)`).
public struct Workspace: Sendable {
    /// The folder, as given (absolute or relative to the current directory).
    public var root: URL
    /// `tiedote.yml`.
    public var settings: Settings
    /// All events, in start order.
    public var events: [Event]
    /// All issues by month.
    public var issues: [YearMonth: Issue]

    /// Creates a workspace from values already loaded (tests build them this way).
    public init(root: URL, settings: Settings, events: [Event], issues: [YearMonth: Issue] = [:]) {
        self.root = root
        self.settings = settings
        self.events = events.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        self.issues = issues
    }

    /// A file or folder inside the workspace.
    public func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The events that touch any day of `first...last`, in start order.
    public func events(from first: LocalDate, to last: LocalDate) -> [Event] {
        events.filter { $0.overlaps(from: first, to: last) }
    }

    /// The events of an issue's window, in start order.
    public func events(for issue: Issue) -> [Event] {
        events(from: issue.eventsFrom, to: issue.eventsTo)
    }

    /// The folder names a workspace has.
    public enum Folder {
        /// Event files.
        public static let events = "Events"
        /// Issue files.
        public static let issues = "Issues"
        /// Templates.
        public static let templates = "Templates"
        /// Mailing lists and the suppression list.
        public static let lists = "Lists"
        /// Delivery journals.
        public static let sent = "Sent"
        /// Generated files.
        public static let out = "out"
    }

    /// The settings file's name.
    public static let settingsFile = "tiedote.yml"
    /// The suppression list's path inside the workspace.
    public static let suppressionFile = "Lists/suppressed.csv"
}
