/// One file an export writes, named relative to the export's output folder.
public struct ExportFile: Sendable, Hashable {
    /// The file name (`events.ics`, `menoinfo.csv`).
    public var name: String
    /// The file's text, exactly as written (byte order mark and line ends included).
    public var text: String

    /// Creates a file.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}
