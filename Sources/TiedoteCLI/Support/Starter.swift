import Foundation
import TiedoteCore

/// The files of a fresh workspace. Templates come from the bundled copy of the sample
/// workspace's `Templates/`; the rest is written here because it differs from the sample.
enum Starter {
    /// Writes every starter file that does not exist yet; returns the relative paths written.
    static func write(into root: URL) throws -> [String] {
        let fileManager = FileManager.default
        var written: [String] = []
        func put(_ relative: String, _ data: Data, private: Bool = false) throws {
            let url = root.appendingPathComponent(relative)
            guard !fileManager.fileExists(atPath: url.path) else { return }
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // The signing secret is readable by its owner only, from the moment it exists.
            let attributes: [FileAttributeKey: Any]? = `private` ? [.posixPermissions: 0o600] : nil
            guard fileManager.createFile(atPath: url.path, contents: data, attributes: attributes) else {
                throw Diagnostic.error(SourcePosition(path: relative), "cannot create the file: check the folder's permissions")
            }
            written.append(relative)
        }
        try put(Workspace.settingsFile, Data(settings.utf8))
        try put("Events/\(exampleEventID).md", Data(exampleEvent.utf8))
        try put("Issues/\(exampleMonth).md", Data(exampleIssue.utf8))
        try put("Lists/members.csv", Data((Subscriber.columns.joined(separator: ",") + "\r\n").utf8))
        try put(Workspace.suppressionFile, Data((Suppression.columns.joined(separator: ",") + "\r\n").utf8))
        try put(".gitignore", Data("out/\n.tiedote-secret\n.tiedote.lock\n".utf8))
        try put(".tiedote-secret", Data((randomHex(bytes: 32) + "\n").utf8), private: true)
        for (name, data) in try templates() { try put("Templates/\(name)", data) }
        return written
    }

    /// A fresh unsubscribe signing key: `count` random bytes as hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }

    /// The bundled templates, by file name.
    static func templates() throws -> [(String, Data)] {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil, subdirectory: "Starter") else {
            throw Diagnostic.error(nil, "the starter templates are missing from this build of tiedote")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    static let exampleMonth = "2027-01"
    static let exampleEventID = "2027-01-20-tuottajakahvit"

    static let settings = """
        # Tiedote workspace settings. No secrets here: passwords and signing keys are read from
        # the environment variables or files named below.

        network:
          name: Verkoston nimi
          domain: verkosto.example.fi
          website: https://verkosto.example.fi

        coordinators:
          - id: ensimmainen
            name: Ensimmäinen koordinaattori
            email: uutiskirje@verkosto.example.fi
            signature: |
              Terveisin,
              **Ensimmäinen koordinaattori**

        rotation:
          order: [ensimmainen]
          first_month: 2027-01
          months_per_turn: 4

        categories:
          - Seminaarit ja keskustelut
          - Kurssit ja työpajat

        delivery:
          transport: outbox            # messages go to out/outbox/ until a relay is set below
          connections: 2
          # To send through a relay, set transport: smtp and uncomment (the password comes
          # from the environment or a file, never from here):
          # smtp:
          #   url: smtp://smtp.verkosto.example.fi:587
          #   username: uutiskirje
          #   password_env: TIEDOTE_SMTP_PASSWORD
          #   connections: 4                 # this relay's concurrent connections (1–32)
          #   rate_per_minute: 300           # this relay's messages a minute
          #   messages_per_connection: 100   # QUIT and reconnect after this many
          # Several relays instead of smtp: (never both) each take a name: and the same keys:
          # relays:
          #   - name: oma
          #     url: smtp://smtp.verkosto.example.fi:587
          #   - name: palveluntarjoaja
          #     url: smtps://smtp.palveluntarjoaja.example.fi:465
          #     connections: 2

        lists:
          members:
            title: Verkoston uutiskirje

        unsubscribe:
          url: https://verkosto.example.fi/peru?t={token}
          secret_env: TIEDOTE_UNSUBSCRIBE_SECRET
          secret_file: .tiedote-secret

        """

    static let exampleEvent = """
        ---
        title: "Tuottajakahvit: esimerkkitapahtuma"
        start: 2027-01-20T14:00
        end: 2027-01-20T16:00
        venue: Esimerkkitalo
        address: "Esimerkkikatu 1, 40100 Jyväskylä"
        municipality: Jyväskylä
        category: Seminaarit ja keskustelut
        short: "Yksi virke tapahtumasta listauksia ja kalentereita varten."
        price: Maksuton
        status: scheduled
        tags: [tuottajakahvit]
        ---
        Tapahtuman pitkä kuvaus Markdownina.

        """

    static let exampleIssue = """
        ---
        subject: "Uutiskirje: tammikuu 2027"
        preheader: "Tammikuun tapahtumat"
        ---
        Hei kaikki! Tässä kuun tapahtumat.

        """
}
