import Foundation
import TiedoteCore

extension Workspace {
    /// Adds `subscriber` to list `list` unless the address is already on it; returns false
    /// when it was. Call it inside `ListWriteLock.withLock`.
    ///
    /// The file is rewritten whole (its bytes as they were, plus the new row) through
    /// `AtomicFile`, so a reader — a running send — sees the old file or the new one, never
    /// half a row, and rows this code cannot read are kept as they were.
    @discardableResult
    public func addSubscriber(_ subscriber: Subscriber, list: String) throws -> Bool {
        if let problem = EmailAddress.validate(subscriber.email) {
            throw Diagnostic.error(nil, "'\(subscriber.email)' is not an address: \(problem)")
        }
        let file = url(Self.listPath(list))
        var data = Data()
        if FileManager.default.fileExists(atPath: file.path) {
            data = try Data(contentsOf: file)
            var found = false
            let key = subscriber.key
            // Bad rows of a hand-edited file are skipped here, not lost: the bytes are kept.
            _ = try? ListFile.read(data, path: displayPath(Self.listPath(list))) { row in
                if row.key == key { found = true }
            }
            if found { return false }
        }
        if data.isEmpty { data = Data((CSV.line(Subscriber.columns) + "\n").utf8) }
        if data.last != 0x0A { data.append(0x0A) }
        data.append(Data((CSV.line(ListFile.fields(of: subscriber)) + "\n").utf8))
        try AtomicFile.write(data, to: file)
        return true
    }
}
