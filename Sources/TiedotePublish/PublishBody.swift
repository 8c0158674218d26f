import TiedoteCore
import TiedoteExport

/// The JSON bodies `publish` sends, all made from the export's event object, so the file
/// `export kalenteri` writes and what is posted are the same.
enum PublishBody {
    /// The create body, as exported.
    static func create(_ object: JSONValue) -> String { object.serialized() }

    /// An update leaves `event_status` out: the API keeps its own (a moved event becomes
    /// `EventRescheduled`, and a client may not send `EventScheduled` back; `EventSerializer.update`).
    static func update(_ object: JSONValue) -> String { replacing(object, ["event_status": nil]).serialized() }

    /// Cancelling is an update with `event_status: EventCancelled` (`EventSerializer.update`).
    static func cancel(_ object: JSONValue) -> String {
        replacing(object, ["event_status": .string("EventCancelled")]).serialized()
    }

    /// Postponing is an update with no start time: the API itself then marks the event
    /// `EventPostponed`, which a client may not set (`EventSerializer.update`).
    static func postpone(_ object: JSONValue) -> String {
        replacing(object, ["event_status": nil, "start_time": .null, "end_time": .null]).serialized()
    }

    /// The object with some members replaced (`nil`: removed), order kept.
    static func replacing(_ object: JSONValue, _ changes: [String: JSONValue?]) -> JSONValue {
        guard case let .object(members) = object else { return object }
        return .object(members.compactMap { key, value in
            guard let change = changes[key] else { return (key, value) }
            return change.map { (key, $0) }
        })
    }
}
