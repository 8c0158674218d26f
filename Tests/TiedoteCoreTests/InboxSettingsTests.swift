import Testing
@testable import TiedoteCore

/// The `inbox:` section and `delivery.return_path` of tiedote.yml.
struct InboxSettingsTests {
    static func parse(_ extra: String) throws -> Settings {
        try Settings.parse(LoadingTests.settingsText + "\n" + extra)
    }

    @Test func defaultsWithoutASection() throws {
        let settings = try Self.parse("")
        #expect(settings.inbox == Settings.Inbox(imap: nil, processedFolder: "Tiedote", softBounceLimit: 3))
        #expect(settings.delivery.returnPath == nil)
    }

    @Test func readsEverySetting() throws {
        let settings = try Self.parse("""
            delivery:
              return_path: Bounces@Verkosto.example.fi
            inbox:
              imap:
                url: imaps://imap.example.fi/INBOX
                username: verkosto
                password_env: IMAP_PASSWORD
                ca_file: ca.pem
              processed_folder: Kasitellyt
              soft_bounce_limit: 5
            """)
        #expect(settings.delivery.returnPath == "bounces@verkosto.example.fi")
        #expect(settings.inbox == Settings.Inbox(
            imap: .init(url: "imaps://imap.example.fi/INBOX", username: "verkosto", passwordEnv: "IMAP_PASSWORD", caFile: "ca.pem"),
            processedFolder: "Kasitellyt", softBounceLimit: 5))
    }

    @Test(arguments: [
        ("inbox:\n  soft_bounce_limit: 0", "14:22", "inbox.soft_bounce_limit must be at least 1"),
        ("inbox:\n  processed_folder: 'a\"b'", "14:21", "inbox.processed_folder must be a plain ASCII folder name"),
        ("inbox:\n  imap:\n    url: pop3://x.example.fi", "15:10", "inbox.imap.url must start with imaps://"),
        ("inbox:\n  imap:\n    url: imaps://user:pw@x.example.fi/INBOX", "15:10", "inbox.imap.url must be only imaps://host:port/FOLDER"),
        ("inbox:\n  imap:\n    url: imaps://x.example.fi\n    colour: blue", "16:5", "unknown key 'colour'"),
        ("delivery:\n  return_path: bounces+x@example.fi", "14:16", "Tiedote adds +TOKEN itself"),
        ("delivery:\n  return_path: 'not an address'", "14:16", "is not a usable address"),
    ])
    func refusesWithPosition(_ example: (yaml: String, position: String, message: String)) {
        do {
            _ = try Self.parse(example.yaml)
            Issue.record("accepted \(example.yaml)")
        } catch {
            let text = "\(error)"
            #expect(text.contains("tiedote.yml:\(example.position): error:"), "\(text)")
            #expect(text.contains(example.message), "\(text)")
        }
    }
}
