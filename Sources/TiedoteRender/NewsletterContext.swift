import TiedoteCore

/// The values templates see: display strings ready-made, so a template needs no formatting code.
///
/// Optional fields are always present (as "" or false), so strict templates only catch typos.
public enum NewsletterContext {
    /// One event's keys: raw fields plus `when`, `date`, `time`, `weekday`, `place`, flags,
    /// and `calendar_url` (the event's `.ics` on the network's site; "" without `website`).
    public static func event(_ event: Event, website: String? = nil) -> TemplateValue {
        .object([
            "id": .string(event.id),
            "calendar_url": .string(calendarURL(event, website: website)),
            "title": .string(event.title),
            "start": .string(event.start.description),
            "end": .string(event.end?.description ?? ""),
            "when": .string(FinnishText.when(event)),
            "date": .string(FinnishText.date(event)),
            "time": .string(FinnishText.time(event)),
            "weekday": .string(FinnishText.weekday(event.start.date)),
            "place": .string(FinnishText.place(event)),
            "venue": .string(event.venue),
            "address": .string(event.address ?? ""),
            "municipality": .string(event.municipality.rawValue),
            "category": .string(event.category),
            "short": .string(event.short),
            "price": .string(event.isFree ? "Maksuton" : event.price ?? ""),
            "is_free": .bool(event.isFree),
            "registration": .string(event.registration ?? ""),
            "organizer": .string(event.organizer ?? ""),
            "image": .string(event.image ?? ""),
            "image_alt": .string(event.imageAlt ?? ""),
            "status": .string(event.status.rawValue),
            "status_text": .string(FinnishText.status(event.status)),
            "is_cancelled": .bool(event.status == .cancelled),
            "is_postponed": .bool(event.status == .postponed),
            "is_online": .bool(event.municipality.isOnline),
            "is_all_day": .bool(event.isAllDay),
            "is_multi_day": .bool(event.lastDate != event.start.date),
            "tags": .list(event.tags.map(TemplateValue.string)),
            "description": .string(event.description),
        ])
    }

    /// `WEBSITE/events/ID.ics`, the file `tiedote site` writes for the event; "" when the
    /// network has no web site (a template then shows no calendar link).
    public static func calendarURL(_ event: Event, website: String?) -> String {
        guard var base = website?.trimmingSpaces, !base.isEmpty else { return "" }
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/events/\(event.id).ics"
    }

    /// The network's keys: `name`, `website`, `domain`.
    public static func network(_ network: Settings.Network) -> TemplateValue {
        .object([
            "name": .string(network.name),
            "website": .string(network.website ?? ""),
            "domain": .string(network.domain),
        ])
    }

    /// A coordinator's keys: `id`, `name`, `email`, `reply_to`, `signature` (Markdown).
    public static func coordinator(_ coordinator: Coordinator) -> TemplateValue {
        .object([
            "id": .string(coordinator.id),
            "name": .string(coordinator.name),
            "email": .string(coordinator.email),
            "reply_to": .string(coordinator.replyTo ?? coordinator.email),
            "signature": .string(hardLineBreaks(coordinator.signature)),
        ])
    }

    /// A signature keeps its lines: each line break becomes a Markdown hard break.
    static func hardLineBreaks(_ markdown: String) -> String {
        markdown.trimmingSpaces.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces }
            .joined(separator: "\\\n")
    }

    /// The issue-level keys, shared by every recipient.
    public static func issue(
        _ issue: Issue, events: [Event], coordinator: Coordinator, network: Settings.Network
    ) -> [String: TemplateValue] {
        let eventValues = events.map { event($0, website: network.website) }
        var byMunicipality: [(Municipality, [TemplateValue])] = []
        for (item, value) in zip(events, eventValues) {
            if let index = byMunicipality.firstIndex(where: { $0.0 == item.municipality }) {
                byMunicipality[index].1.append(value)
            } else {
                byMunicipality.append((item.municipality, [value]))
            }
        }
        return [
            "network": NewsletterContext.network(network),
            "subject": .string(issue.subject),
            "preheader": .string(issue.preheader ?? ""),
            "month": .string(issue.month.description),
            "month_name": .string(FinnishText.monthName(issue.month.month)),
            "month_name_inessive": .string(FinnishText.monthNameInessive(issue.month.month)),
            "year": .string(String(issue.month.year)),
            "editorial": .string(issue.body),
            "events": .list(eventValues),
            "has_events": .bool(!events.isEmpty),
            "events_by_municipality": .list(byMunicipality.map { municipality, values in
                .object(["municipality": .string(municipality.rawValue), "events": .list(values)])
            }),
            "coordinator": NewsletterContext.coordinator(coordinator),
        ]
    }

    /// One recipient's keys: `name`, `first_name`, `email`, `municipality`,
    /// `unsubscribe_url`, `local_events` (events in the recipient's own municipality).
    public static func recipient(
        name: String, firstName: String, email: String, municipality: Municipality?, unsubscribeURL: String,
        localEvents: [TemplateValue]
    ) -> TemplateValue {
        .object([
            "name": .string(name),
            "first_name": .string(firstName),
            "email": .string(email),
            "municipality": .string(municipality?.rawValue ?? ""),
            "unsubscribe_url": .string(unsubscribeURL),
            "local_events": .list(localEvents),
            "has_local_events": .bool(!localEvents.isEmpty),
        ])
    }
}
