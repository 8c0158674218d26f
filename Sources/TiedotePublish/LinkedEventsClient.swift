import Foundation
import TiedoteCore
import TiedoteMail

/// The few calls `publish` makes to a Linked Events API: create, update, delete and search
/// events, with the `apikey` header (`events/auth.py` `ApiKeyAuthentication`; never printed).
/// Answers with 5xx or 429 and requests with no answer are retried with back-off, a bounded
/// number of times; POST is never retried blindly (see `Publisher`).
public struct LinkedEventsClient: Sendable {
    /// What the API answered.
    public enum Outcome: Sendable {
        /// 2xx, with the body.
        case success(status: Int, body: [UInt8])
        /// 4xx: the request itself is wrong; the API's field errors as (field, message).
        case refused(status: Int, errors: [(field: String, message: String)])
        /// 5xx, 429 or no answer after every retry (or, for POST, after the first).
        case unavailable(String)
        /// TLS or the request itself failed: no retry and no other request will do better.
        case failed(String)
    }

    /// `https://…/v1/`, one trailing slash.
    public var base: String
    /// The API key (`apikey` header).
    var key: Secret
    /// The HTTP client.
    public var http: HTTPClient
    /// Tries per request (1 + retries) for requests that are safe to repeat.
    public var attempts: Int
    /// The first back-off, doubled for each retry (seconds).
    public var backOff: Double

    /// Creates a client for the API at `base`.
    public init(base: String, key: Secret, http: HTTPClient = HTTPClient(), attempts: Int = 4, backOff: Double = 0.25) {
        self.base = LinkedEventsReference.normalisedBase(base)
        self.key = key
        self.http = http
        self.attempts = attempts
        self.backOff = backOff
    }

    /// `POST event/` once: its outcome, when unknown, is settled by a search, not a retry.
    public func create(_ body: String) -> Outcome { send("POST", "event/", body: body, tries: 1) }

    /// `PUT event/ID/`.
    public func update(_ serverID: String, _ body: String) -> Outcome { send("PUT", "event/\(escaped(serverID))/", body: body) }

    /// `DELETE event/ID/`.
    public func delete(_ serverID: String) -> Outcome { send("DELETE", "event/\(escaped(serverID))/", body: nil) }

    /// Events whose text matches `name` and that take place on `day` (`events/api.py`
    /// `_filter_event_queryset`: `text`, `start`, `end`), as (id, name, start_time).
    public func search(name: String, day: LocalDate) -> [(id: String, name: String, start: String)]? {
        let query = "text=\(escaped(name))&start=\(day)&end=\(day)&page_size=100"
        guard case let .success(_, body) = send("GET", "event/?\(query)", body: nil),
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let items = json["data"] as? [[String: Any]]
        else { return nil }
        return items.compactMap { item in
            guard let id = item["id"] as? String else { return nil }
            let name = (item["name"] as? [String: Any])?["fi"] as? String ?? ""
            return (id, name, item["start_time"] as? String ?? "")
        }
    }

    /// One request with the retries `tries` allows.
    func send(_ method: String, _ path: String, body: String?, tries: Int? = nil) -> Outcome {
        var headers = ["apikey": key.value, "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json; charset=utf-8" }
        var last = ""
        let total = max(1, tries ?? attempts)
        for attempt in 0..<total {
            if attempt > 0 { Thread.sleep(forTimeInterval: backOff * Double(1 << (attempt - 1))) }
            do {
                let response = try http.request(method, base + path, headers: headers, body: body)
                switch response.status {
                case 200..<300:
                    return .success(status: response.status, body: response.body)
                case 429, 500..<600:
                    last = "the calendar answered \(response.status)"
                case 400..<500:
                    return .refused(status: response.status, errors: Self.fieldErrors(response.body))
                default:
                    last = "the calendar answered \(response.status)"
                }
            } catch {
                if error.kind != .network { return .failed(error.message) }
                last = "no answer from the calendar (\(error.message))"
            }
        }
        return .unavailable(last)
    }

    /// `{"field": ["message"], "name": {"fi": ["message"]}, "detail": "…"}` as flat pairs.
    static func fieldErrors(_ body: [UInt8]) -> [(field: String, message: String)] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) else {
            let text = String(decoding: body.prefix(300), as: UTF8.self)
            return [("", text.isEmpty ? "no reason given" : text)]
        }
        var out: [(field: String, message: String)] = []
        func walk(_ value: Any, _ field: String) {
            if let text = value as? String {
                out.append((field, text))
            } else if let list = value as? [Any] {
                list.forEach { walk($0, field) }
            } else if let map = value as? [String: Any] {
                for (key, inner) in map.sorted(by: { $0.key < $1.key }) {
                    // A language key (`fi`) belongs to its field; a top-level key is the field.
                    walk(inner, field.isEmpty ? key : field)
                }
            }
        }
        walk(json, "")
        return out
    }

    /// The `id` of a created event's answer.
    public static func createdID(_ body: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["id"] as? String
    }

    /// Percent-encoded for a URL path segment or query value (unreserved ASCII kept).
    private func escaped(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E || byte == 0x3A
            out += unreserved ? String(UnicodeScalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return out
    }
}
