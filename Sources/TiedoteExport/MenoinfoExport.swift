import TiedoteCore

/// The `menoinfo` export: `menoinfo.csv` for Finnish Excel and `menoinfo.txt` to copy into
/// Menoinfo's form field by field, both in the form's order (`MenoinfoFormat.fields`).
public struct MenoinfoExport: EventExport {
    /// One event, with the values the form fields read.
    public struct Entry: Sendable, Hashable {
        /// The event.
        public var event: Event
        /// The category in Menoinfo's list.
        public var category: String
        /// The address split into street, postal code and locality.
        public var address: PostalAddress
        /// The description as plain text, paragraphs separated by blank lines.
        public var description: String
        /// The organiser (the network when the event names none).
        public var organizer: String
        /// The contact address for Menoinfo's editors.
        public var contactEmail: String
    }

    /// The network's settings: category mapping, contact address, coordinators.
    public var settings: Settings

    /// Creates the export.
    public init(settings: Settings) { self.settings = settings }

    /// The CSV file's name.
    public static let csvFileName = "menoinfo.csv"
    /// The text file's name.
    public static let textFileName = "menoinfo.txt"

    /// Maps the category and checks every form field's requirement and limit.
    public func entry(for event: Event, diagnostics: inout [Diagnostic]) -> Entry? {
        guard let category = category(for: event, diagnostics: &diagnostics) else { return nil }
        let contact = settings.exports.menoinfo.contactEmail
            ?? YearMonth(year: event.start.date.year, month: event.start.date.month)
                .flatMap { settings.coordinator(for: $0)?.email } ?? ""
        let entry = Entry(
            event: event, category: category,
            address: PostalAddress(address: event.address, municipality: event.municipality),
            description: EventText.plain(event.description),
            organizer: event.organizer?.trimmingSpaces ?? settings.network.name, contactEmail: contact)
        for field in MenoinfoFormat.fields {
            let value = field.value(entry)
            let position = event.position(of: field.sourceKey)
            if field.required && value.trimmingSpaces.isEmpty {
                let fix = field.label == "Yhteyshenkilön sähköposti"
                    ? "set exports.menoinfo.contact_email in tiedote.yml" : "fill in '\(field.sourceKey)'"
                diagnostics.append(.error(position, "Menoinfo needs '\(field.label)': \(fix)"))
            }
            if let limit = field.limit,
                let problem = limit.check(value, field: "'\(field.label)'", target: "Menoinfo", at: position)
            {
                diagnostics.append(problem)
            }
        }
        return entry
    }

    /// The category in Menoinfo's terms, through `exports.menoinfo.categories`.
    func category(for event: Event, diagnostics: inout [Diagnostic]) -> String? {
        let own = event.category
        let choices = MenoinfoFormat.categories.joined(separator: ", ")
        if let mapped = settings.exports.menoinfo.categories[own] {
            guard MenoinfoFormat.categories.contains(mapped) else {
                diagnostics.append(
                    .error(
                        event.position(of: "category"),
                        "category '\(own)' maps to '\(mapped)' under exports.menoinfo.categories in tiedote.yml, which is not one of Menoinfo's categories: use one of \(choices)"
                    ))
                return nil
            }
            return mapped
        }
        guard MenoinfoFormat.categories.contains(own) else {
            diagnostics.append(
                .error(
                    event.position(of: "category"),
                    "category '\(own)' is not one of Menoinfo's categories: add \"\(own): <one of \(choices)>\" under exports.menoinfo.categories in tiedote.yml"
                ))
            return nil
        }
        return own
    }

    /// `menoinfo.csv` and `menoinfo.txt`.
    public func files(for entries: [Entry]) -> [ExportFile] {
        [ExportFile(name: Self.csvFileName, text: csv(entries)), ExportFile(name: Self.textFileName, text: text(entries))]
    }

    /// The CSV: BOM, header row, one row per event; in-cell line breaks are LF, as Excel
    /// writes them, rows end in CRLF.
    public func csv(_ entries: [Entry]) -> String {
        var out = MenoinfoFormat.byteOrderMark + MenoinfoFormat.row(MenoinfoFormat.fields.map(\.label))
        for entry in entries {
            out += MenoinfoFormat.row(MenoinfoFormat.fields.map { MenoinfoFormat.neutralised($0.value(entry)) })
        }
        return out
    }

    /// The text: one block per event, each field labelled, in form order; a multi-line value
    /// starts on the line after its label. UTF-8 with a BOM and CRLF, like the CSV, so it
    /// opens right in Windows editors.
    public func text(_ entries: [Entry]) -> String {
        var lines: [String] = []
        for (index, entry) in entries.enumerated() {
            if index > 0 { lines.append("") }
            lines.append("=== \(index + 1)/\(entries.count): \(entry.event.id) ===")
            for field in MenoinfoFormat.fields {
                let value = field.value(entry)
                if value.contains("\n") {
                    lines.append("\(field.label):")
                    lines += value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    lines.append("")
                } else {
                    lines.append(value.isEmpty ? "\(field.label):" : "\(field.label): \(value)")
                }
            }
        }
        return MenoinfoFormat.byteOrderMark + lines.map { $0 + "\r\n" }.joined()
    }
}
