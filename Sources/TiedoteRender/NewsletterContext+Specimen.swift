import TiedoteCore

extension NewsletterContext {
    /// An event with every optional value present, for template checks.
    public static let specimenEvent = Event(
        id: "specimen", title: "Tapahtuma", start: LocalDateTime(date: LocalDate(daysSinceEpoch: 20_000), time: .midnight),
        end: LocalDateTime(date: LocalDate(daysSinceEpoch: 20_001), time: .midnight), venue: "Paikka", address: "Katu 1",
        municipality: .jyvaskyla, category: "Luokka", short: "Lyhyt", price: "10 €",
        registration: "https://example.fi", organizer: "Järjestäjä", image: "https://example.fi/kuva.jpg",
        imageAlt: "Kuva", status: .cancelled, tags: ["tagi"], description: "Kuvaus")

    /// A context with every key a newsletter has, every list non-empty and every optional
    /// value present: what template checks look through.
    public static func specimen() -> [String: TemplateValue] {
        let event = specimenEvent
        let date = event.start.date
        let coordinator = Coordinator(id: "c", name: "Koordinaattori", email: "c@example.fi", replyTo: "r@example.fi", signature: "Terveisin")
        let issue = Issue(month: YearMonth(date), subject: "Aihe", preheader: "Esiotsikko", body: "Teksti")
        var values = NewsletterContext.issue(
            issue, events: [event], coordinator: coordinator,
            network: Settings.Network(name: "Verkosto", domain: "example.fi", website: "https://example.fi"))
        values["recipient"] = recipient(
            name: "Etu Suku", firstName: "Etu", email: "etu@example.fi", municipality: .jyvaskyla,
            unsubscribeURL: "https://example.fi/peru", localEvents: [NewsletterContext.event(event, website: "https://example.fi")])
        return values
    }
}
