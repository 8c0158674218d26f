import Foundation

/// Recipients that got the same reply from the relay, for `status` and the end of a send: a
/// list refused for one reason shows as one line, not as hundreds.
public struct ReplyGroup: Sendable, Hashable {
    /// The reply (`550 5.1.1 <address> User unknown`), each recipient's own address masked so
    /// that replies that name it still group together.
    public var reply: String
    /// The recipients' keys, sorted.
    public var keys: [String]

    /// Groups `(key, code, text)` triples by reply, largest group first.
    public static func groups(_ items: [(key: String, code: Int, text: String)]) -> [ReplyGroup] {
        var byReply: [String: [String]] = [:]
        for item in items {
            byReply[display(code: item.code, text: item.text, key: item.key), default: []].append(item.key)
        }
        return byReply.map { ReplyGroup(reply: $0.key, keys: $0.value.sorted()) }
            .sorted { ($0.keys.count, $1.reply) > ($1.keys.count, $0.reply) }
    }

    /// The reply line with its code in front (once) and `key` masked.
    public static func display(code: Int, text: String, key: String) -> String {
        var line = text.hasPrefix(String(code)) || code == 0 ? text : "\(code) \(text)"
        if !key.isEmpty {
            while let range = line.range(of: key, options: .caseInsensitive) {
                line.replaceSubrange(range, with: "address")
            }
        }
        return line.isEmpty ? "no reply" : line
    }
}
