import TiedoteAudience
import TiedoteCore
import TiedoteSite

/// The subscription form: its page, and its answers checked into a pending subscription.
struct SubscribeForm: Sendable {
    /// The lists that may be joined, the first being the default.
    let lists: [String]
    /// The network's categories, offered as interests.
    let categories: [String]
    /// The network's name, for the privacy text.
    let network: String

    /// What a reader typed, kept to show the form again with their answers.
    struct Answers: Sendable {
        var email = ""
        var name = ""
        var municipality = ""
        var interests: [String] = []
        var consent = false
        var list = ""
    }

    /// Field limits: an address per RFC 5321, a name as long as any real one.
    static let maximumEmail = 254
    static let maximumName = 100

    /// The answers in `fields`.
    func answers(_ fields: FormFields) -> Answers {
        Answers(
            email: (fields["email"] ?? "").trimmingSpaces, name: (fields["name"] ?? "").trimmingSpaces,
            municipality: fields["municipality"] ?? "", interests: fields.all("interests"),
            consent: fields["consent"] == "yes", list: fields["list"] ?? lists.first ?? "")
    }

    /// The pending subscription, or the problems by field name (Finnish, for the reader).
    func check(_ answers: Answers, expires: Int) -> Result<SubscriptionToken, Problems> {
        var problems: [String: String] = [:]
        if answers.email.isEmpty {
            problems["email"] = "Kirjoita sähköpostiosoitteesi."
        } else if answers.email.count > Self.maximumEmail || EmailAddress.validate(answers.email) != nil {
            problems["email"] = "Tarkista sähköpostiosoite: se ei näytä oikealta osoitteelta."
        }
        if answers.name.count > Self.maximumName { problems["name"] = "Nimi on liian pitkä (enintään \(Self.maximumName) merkkiä)." }
        let municipality = answers.municipality.isEmpty ? nil : Municipality(name: answers.municipality)
        if !answers.municipality.isEmpty && (municipality == nil || municipality == .online) {
            problems["municipality"] = "Valitse kunta luettelosta."
        }
        if !answers.interests.allSatisfy(categories.contains) || Set(answers.interests).count != answers.interests.count {
            problems["interests"] = "Valitse kiinnostuksen kohteet luettelosta."
        }
        if !answers.consent { problems["consent"] = "Tilaaminen edellyttää suostumusta." }
        if !lists.contains(answers.list) { problems["list"] = "Valitse uutiskirje luettelosta." }
        guard problems.isEmpty else { return .failure(Problems(byField: problems)) }
        return .success(SubscriptionToken(
            list: answers.list, email: answers.email, name: answers.name, municipality: municipality,
            interests: answers.interests.map { $0.lowercased() }, expires: expires))
    }

    /// The problems of one submission, by field.
    struct Problems: Error, Sendable {
        var byField: [String: String]
    }

    /// The form, filled with `answers` and marked with `problems`.
    func page(_ answers: Answers = Answers(), problems: [String: String] = [:]) -> SitePage {
        var body = "<h1>Tilaa uutiskirje</h1>\n"
        body += "<p>\(network.markupEscaped) lähettää kerran kuussa uutiskirjeen verkoston tapahtumista. "
            + "Saat ensin vahvistusviestin: tilaus alkaa vasta, kun vahvistat sen viestin linkistä.</p>\n"
        if !problems.isEmpty {
            body += "<p class=\"error\" role=\"alert\">Tarkista lomakkeen tiedot: \(problems.count) kohtaa vaatii korjausta.</p>\n"
        }
        body += "<form method=\"post\" action=\"/tilaa\" novalidate>\n"
        body += field("email", label: "Sähköpostiosoite (pakollinen)", type: "email", value: answers.email,
            extra: " required autocomplete=\"email\" maxlength=\"\(Self.maximumEmail)\"", problems: problems)
        body += field("name", label: "Nimi", type: "text", value: answers.name,
            extra: " autocomplete=\"name\" maxlength=\"\(Self.maximumName)\"", problems: problems)
        body += municipalitySelect(answers.municipality, problems: problems)
        body += interestBoxes(answers.interests, problems: problems)
        body += listChoice(answers.list)
        body += "<p>\(problem("consent", problems))<input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\"\(answers.consent ? " checked" : "")"
            + "\(problems["consent"] != nil ? " aria-invalid=\"true\" aria-describedby=\"consent-virhe\"" : "")> "
            + "<label class=\"choice\" for=\"consent\">Annan suostumukseni tietojeni käyttöön uutiskirjeen lähettämiseksi.</label></p>\n"
        body += "<p class=\"meta\" id=\"tietosuoja\">Tietosuoja: sähköpostiosoitettasi, nimeäsi, kuntaasi ja kiinnostuksen kohteitasi "
            + "käytetään vain uutiskirjeen lähettämiseen ja kohdentamiseen. Rekisterinpitäjä on \(network.markupEscaped). "
            + "Tietoja ei luovuteta eteenpäin. Voit perua tilauksen milloin tahansa jokaisen viestin lopussa olevasta linkistä, "
            + "ja saat tietosi poistettua kokonaan pyytämällä sitä koordinaattorilta.</p>\n"
        body += "<p><button type=\"submit\">Tilaa</button></p>\n</form>\n"
        return SitePage(title: "Tilaa uutiskirje", body: body)
    }

    private func problem(_ name: String, _ problems: [String: String]) -> String {
        problems[name].map { "<span class=\"error\" id=\"\(name)-virhe\">\($0.markupEscaped)</span><br>" } ?? ""
    }

    private func invalid(_ name: String, _ problems: [String: String]) -> String {
        problems[name] != nil ? " aria-invalid=\"true\" aria-describedby=\"\(name)-virhe\"" : ""
    }

    private func field(_ name: String, label: String, type: String, value: String, extra: String, problems: [String: String]) -> String {
        "<p><label for=\"\(name)\">\(label)</label>\(problem(name, problems))"
            + "<input type=\"\(type)\" id=\"\(name)\" name=\"\(name)\" value=\"\(value.markupEscaped)\"\(extra)\(invalid(name, problems))></p>\n"
    }

    private func municipalitySelect(_ chosen: String, problems: [String: String]) -> String {
        var html = "<p><label for=\"municipality\">Kotikunta</label>\(problem("municipality", problems))"
            + "<select id=\"municipality\" name=\"municipality\"\(invalid("municipality", problems))>\n<option value=\"\">(ei valittu)</option>\n"
        for municipality in Municipality.keskiSuomi {
            let name = municipality.rawValue
            html += "<option value=\"\(name.markupEscaped)\"\(name == chosen ? " selected" : "")>\(name.markupEscaped)</option>\n"
        }
        return html + "</select></p>\n"
    }

    private func interestBoxes(_ chosen: [String], problems: [String: String]) -> String {
        guard !categories.isEmpty else { return "" }
        var html = "<fieldset><legend>Kiinnostuksen kohteet</legend>\(problem("interests", problems))\n"
        for (index, category) in categories.enumerated() {
            html += "<span class=\"choice\"><input type=\"checkbox\" id=\"interest-\(index)\" name=\"interests\" value=\"\(category.markupEscaped)\""
                + "\(chosen.contains(category) ? " checked" : "")> <label for=\"interest-\(index)\">\(category.markupEscaped)</label></span>\n"
        }
        return html + "</fieldset>\n"
    }

    private func listChoice(_ chosen: String) -> String {
        guard lists.count > 1 else {
            return "<input type=\"hidden\" name=\"list\" value=\"\((lists.first ?? "").markupEscaped)\">\n"
        }
        var html = "<p><label for=\"list\">Uutiskirje</label><select id=\"list\" name=\"list\">\n"
        for list in lists {
            html += "<option value=\"\(list.markupEscaped)\"\(list == chosen ? " selected" : "")>\(list.markupEscaped)</option>\n"
        }
        return html + "</select></p>\n"
    }
}
