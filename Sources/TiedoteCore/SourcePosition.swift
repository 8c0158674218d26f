/// A place in a user's file: what every error points at.
public struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's path as the user would type it (relative to the workspace when inside it).
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    /// Creates a position; line and column start at 1.
    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column`, the form compilers and editors understand.
    public var description: String { "\(path):\(line):\(column)" }
}
