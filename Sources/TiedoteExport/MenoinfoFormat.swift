import TiedoteCore

/// Menoinfo's submission form as this project models it: its categories, and its fields in
/// form order with each one's value and limit. A change on Menoinfo's side is a change here.
public enum MenoinfoFormat {
    /// The byte order mark that tells Excel the CSV is UTF-8.
    static let byteOrderMark = "\u{FEFF}"

    /// One CSV row as Finnish Excel opens it: `;` between fields, quoted where needed, CRLF.
    static func row(_ fields: [String]) -> String {
        CSV.line(fields, separator: .semicolon) + "\r\n"
    }

    /// A cell a spreadsheet would not run as a formula: one that begins with `=`, `+`, `-`,
    /// `@`, tab or CR gets a leading `'` (OWASP, CSV Injection), which Excel shows as text.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }

    /// One form field: its label, where its value comes from, and its limit.
    public struct Field: Sendable {
        /// The form's label, also the CSV column header (`Tapahtuman nimi`).
        public var label: String
        /// The event key the value comes from, for positions in diagnostics.
        public var sourceKey: String
        /// The form refuses the entry when this is empty.
        public var required: Bool
        /// The longest value the form takes, if it has a limit.
        public var limit: TextLimit?
        /// The field's text for an entry ("" for nothing).
        public var value: @Sendable (MenoinfoExport.Entry) -> String
    }

    /// Menoinfo's own category list; an event's category must be one of these, directly or
    /// through `exports.menoinfo.categories` in `tiedote.yml`.
    public static let categories = [
        "Musiikki", "Teatteri", "Tanssi", "Näyttelyt", "Elokuvat", "Kirjallisuus", "Lapset ja perhe",
        "Seniorit", "Festivaalit", "Seminaarit ja keskustelut", "Kurssit ja työpajat",
        "Messut ja markkinat", "Urheilu ja liikunta", "Muut",
    ]

    /// `Hinta` for free events.
    public static let free = "Maksuton"

    /// The form counts like a browser's `maxlength`: in UTF-16 code units.
    static func limit(_ maximum: Int) -> TextLimit { TextLimit(maximum, counting: .utf16) }

    /// The form's fields, in form order (the CSV's columns and the text file's lines).
    public static let fields: [Field] = [
        Field(label: "Tapahtuman nimi", sourceKey: "title", required: true, limit: limit(100)) { $0.event.title },
        Field(label: "Kategoria", sourceKey: "category", required: true, limit: nil) { $0.category },
        Field(label: "Alkupäivä", sourceKey: "start", required: true, limit: nil) { date($0.event.start.date) },
        Field(label: "Alkuaika", sourceKey: "start", required: false, limit: nil) {
            $0.event.start.time.map(time) ?? ""
        },
        Field(label: "Loppupäivä", sourceKey: "end", required: false, limit: nil) { date($0.event.lastDate) },
        Field(label: "Loppuaika", sourceKey: "end", required: false, limit: nil) {
            $0.event.end?.time.map(time) ?? ""
        },
        Field(label: "Tapahtumapaikka", sourceKey: "venue", required: true, limit: nil) { $0.event.venue },
        Field(label: "Katuosoite", sourceKey: "address", required: false, limit: nil) { $0.address.street ?? "" },
        Field(label: "Kunta", sourceKey: "municipality", required: true, limit: nil) {
            $0.event.municipality.rawValue
        },
        Field(label: "Hinta", sourceKey: "price", required: true, limit: nil) {
            $0.event.isFree ? free : ($0.event.price?.trimmingSpaces ?? "")
        },
        Field(label: "Lippu- tai ilmoittautumislinkki", sourceKey: "registration", required: false, limit: nil) {
            $0.event.registration ?? ""
        },
        Field(label: "Lyhyt kuvaus", sourceKey: "short", required: true, limit: limit(160)) { $0.event.short },
        Field(label: "Kuvaus", sourceKey: "description", required: false, limit: limit(3000)) { $0.description },
        Field(label: "Kuva", sourceKey: "image", required: false, limit: nil) { $0.event.image ?? "" },
        Field(label: "Kuvan kuvaus", sourceKey: "image_alt", required: false, limit: nil) { $0.event.imageAlt ?? "" },
        Field(label: "Järjestäjä", sourceKey: "organizer", required: true, limit: nil) { $0.organizer },
        Field(label: "Yhteyshenkilön sähköposti", sourceKey: "", required: true, limit: nil) { $0.contactEmail },
    ]

    /// `2.12.2026`: day and month without leading zeros.
    public static func date(_ date: LocalDate) -> String { "\(date.day).\(date.month).\(date.year)" }

    /// `09.30`.
    public static func time(_ time: LocalTime) -> String {
        (time.hour < 10 ? "0" : "") + "\(time.hour)." + (time.minute < 10 ? "0" : "") + "\(time.minute)"
    }
}
