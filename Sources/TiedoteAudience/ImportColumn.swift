import TiedoteCore

/// What a spreadsheet column holds, recognised from its header in Finnish or English.
public enum ImportColumn: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case email
    case name
    case firstName = "first name"
    case lastName = "last name"
    case municipality
    case interests
    case language
    case consentSource = "consent_source"
    case consentedAt = "consented_at"

    /// The column's name in messages.
    public var description: String { rawValue }

    /// Header spellings, after `normalizedHeader` (lower case, `_` for spaces and hyphens).
    static let aliases: [ImportColumn: [String]] = [
        .email: [
            "email", "e_mail", "email_address", "e_mail_address", "mail", "sähköposti", "sahkoposti",
            "sähköpostiosoite", "sahkopostiosoite", "sähköposti_osoite", "sahkoposti_osoite", "s_posti", "sposti", "s_postiosoite",
        ],
        .name: ["name", "full_name", "nimi", "koko_nimi", "etu_ja_sukunimi"],
        .firstName: ["first_name", "firstname", "given_name", "etunimi", "etunimet"],
        .lastName: ["last_name", "lastname", "surname", "family_name", "sukunimi"],
        .municipality: [
            "municipality", "city", "kunta", "kotikunta", "asuinkunta", "paikkakunta", "kotipaikka",
            "kotipaikkakunta",
        ],
        .interests: [
            "interests", "topics", "kiinnostukset", "kiinnostuksen_kohteet", "aiheet", "aihepiirit",
            "kiinnostuksenkohteet",
        ],
        .language: ["language", "lang", "kieli", "asiointikieli"],
        .consentSource: [
            "consent_source", "consent", "source", "suostumus", "suostumuksen_lähde",
            "suostumuksen_lahde", "lähde", "lahde",
        ],
        .consentedAt: [
            "consented_at", "consent_date", "date", "suostumus_pvm", "suostumuspvm", "suostumus_päivämäärä",
            "suostumuksen_päivämäärä", "suostumuksen_pvm", "suostumus_annettu", "päivämäärä", "pvm",
            "liittynyt", "liittymispäivä",
        ],
    ]

    /// The column a header names, or nil for a column the list does not keep.
    public init?(header: String) {
        let key = Self.normalizedHeader(header)
        guard let match = Self.aliases.first(where: { $0.value.contains(key) })?.key else { return nil }
        self = match
    }

    /// `Sähköposti-osoite ` → `sähköposti_osoite`.
    static func normalizedHeader(_ header: String) -> String {
        var result = ""
        for character in header.trimmingSpaces.lowercased() {
            if character == "\u{FEFF}" || character == "*" || character == ":" { continue }
            if character == " " || character == "-" || character == "." || character == "_" {
                if !result.isEmpty && !result.hasSuffix("_") { result.append("_") }
            } else {
                result.append(character)
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        return result
    }
}
