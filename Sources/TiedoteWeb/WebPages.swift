import Hummingbird
import TiedoteCore
import TiedoteSite

/// The server's own pages, in Finnish, in the site's frame (`SitePage`): plain forms that work
/// without JavaScript and with the keyboard, every field labelled.
struct WebPages: Sendable {
    /// The network's name, in every page's title and header.
    let network: String

    /// A page as a response, never cached (it may carry a token).
    func response(_ status: HTTPResponse.Status, _ page: SitePage) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = SiteFile.MediaType.html
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html(network: network))))
    }

    /// A title and one paragraph.
    static func message(title: String, text: String) -> SitePage {
        SitePage(title: title, body: "<h1>\(title.markupEscaped)</h1>\n<p>\(text.markupEscaped)</p>\n<p><a href=\"/\">Etusivulle</a></p>\n")
    }

    /// The page for an error status.
    func status(_ status: HTTPResponse.Status) -> SitePage {
        let message = { (title: String, text: String) in Self.message(title: title, text: text) }
        return switch status.code {
        case 400: message("Virheellinen pyyntö", "Pyyntöä ei voitu käsitellä. Tarkista osoite tai lomakkeen tiedot ja yritä uudelleen.")
        case 403: message("Linkki ei kelpaa", "Linkki on vanhentunut tai se ei ole voimassa. Tilaa uutiskirje uudelleen tai ota yhteyttä verkoston koordinaattoriin.")
        case 404: message("Sivua ei löydy", "Etsimääsi sivua ei ole.")
        case 405: message("Pyyntö ei ole sallittu", "Tätä sivua ei voi käyttää näin.")
        case 413: message("Liian suuri pyyntö", "Lomakkeen tiedot ovat liian pitkiä.")
        case 429: message("Liian monta pyyntöä", "Yritä hetken kuluttua uudelleen.")
        case 503: message("Palvelu ei ole nyt käytettävissä", "Vahvistusviestiä ei voitu lähettää juuri nyt. Yritä hetken kuluttua uudelleen.")
        default: message("Virhe", "Jokin meni vikaan. Yritä hetken kuluttua uudelleen.")
        }
    }

    /// A page with one button that posts `fields` to `action`: the confirm steps, so that a
    /// link scanner fetching the link (GET) changes nothing.
    static func confirm(title: String, text: String, action: String, fields: [(String, String)], button: String) -> SitePage {
        var body = "<h1>\(title.markupEscaped)</h1>\n<p>\(text.markupEscaped)</p>\n"
        body += "<form method=\"post\" action=\"\(action.markupEscaped)\">\n"
        for (name, value) in fields {
            body += "<input type=\"hidden\" name=\"\(name.markupEscaped)\" value=\"\(value.markupEscaped)\">\n"
        }
        body += "<p><button type=\"submit\">\(button.markupEscaped)</button></p>\n</form>\n"
        return SitePage(title: title, body: body)
    }
}
