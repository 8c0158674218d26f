import Testing
@testable import TiedoteCore

/// `delivery.relays` and the per-relay limits: read in order, checked where they are written.
@Suite struct RelaySettingsTests {
    /// The minimal settings with `delivery:` from line 14 on.
    static func settings(_ delivery: String) -> String {
        LoadingTests.settingsText + "\ndelivery:\n" + delivery
    }

    static func error(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
        .error(SourcePosition(path: "tiedote.yml", line: line, column: column), message)
    }

    @Test func relaysAreReadInOrderWithTheirLimits() throws {
        let settings = try Settings.parse(Self.settings("""
              connections: 4
              rate_per_minute: 600
              relays:
                - name: oma
                  url: smtp://127.0.0.1:2525
                  messages_per_connection: 100
                - name: palveluntarjoaja
                  url: smtps://relay.example.fi:465
                  connections: 2
                  rate_per_minute: 120
                  tls: opportunistic

            """))
        let delivery = settings.delivery
        #expect(delivery.transport == .smtp)
        #expect(delivery.connections == 4 && delivery.ratePerMinute == 600)
        #expect(delivery.relays.map(\.displayName) == ["oma", "palveluntarjoaja"])
        #expect(delivery.relays[0].messagesPerConnection == 100 && delivery.relays[0].connections == nil)
        #expect(delivery.relays[1].connections == 2 && delivery.relays[1].ratePerMinute == 120)
        #expect(delivery.relays[1].tls == .opportunistic)
        #expect(delivery.smtp == delivery.relays[0])
        #expect(settings.relayPath(1) == "delivery.relays.1")
        #expect(settings.positions["delivery.relays.1.tls"] == SourcePosition(path: "tiedote.yml", line: 24, column: 12))
    }

    @Test func oneRelayFormIsNamedByItsHost() throws {
        let settings = try Settings.parse(Self.settings("""
              smtp:
                url: smtp://smtp.example.fi:587
                connections: 3
                messages_per_connection: 50

            """))
        #expect(settings.delivery.relays.count == 1)
        #expect(settings.delivery.smtp?.displayName == "smtp.example.fi")
        #expect(settings.delivery.smtp?.connections == 3 && settings.delivery.smtp?.messagesPerConnection == 50)
        #expect(settings.relayPath(0) == "delivery.smtp")
    }

    @Test func badLimitsAreReportedWhereTheyStand() {
        #expect(throws: Diagnostics([
            Self.error(17, 20, "delivery.relays[0].connections must be between 1 and 32, not 40"),
            Self.error(18, 24, "delivery.relays[0].rate_per_minute must be at least 1, not 0; leave it out for no limit of its own"),
            Self.error(19, 32,
                "delivery.relays[0].messages_per_connection must be at least 1, not 0; leave it out to keep a connection as long as the relay allows"),
            Self.error(21, 13, "delivery.relays[1].name 'oma' is already the name of the relay at line 15: give each relay its own name"),
        ])) {
            try Settings.parse(Self.settings("""
                  relays:
                    - name: oma
                      url: smtp://127.0.0.1:2525
                      connections: 40
                      rate_per_minute: 0
                      messages_per_connection: 0
                    - url: smtp://127.0.0.1:2526
                      name: oma

                """))
        }
    }

    @Test func bothFormsAtOnceIsAnError() {
        #expect(throws: Diagnostics([
            Self.error(16, 3, "delivery has both smtp: and relays:; keep one: relays: for several relays (each with a name), smtp: for one"),
        ])) {
            try Settings.parse(Self.settings("""
                  smtp:
                    url: smtp://smtp.example.fi:587
                  relays:
                    - name: oma
                      url: smtp://127.0.0.1:2525

                """))
        }
    }

    @Test func aRelayNeedsAGoodName() {
        #expect(throws: Diagnostics([
            Self.error(15, 7, "delivery.relays[0] has no name: give it one like name: oma (journals and status use it)"),
            Self.error(16, 13,
                "delivery.relays[1].name 'Oma Relay' may have only lower-case letters a–z, digits and hyphens, like oma or palveluntarjoaja-2"),
        ])) {
            try Settings.parse(Self.settings("""
                  relays:
                    - url: smtp://127.0.0.1:2525
                    - name: Oma Relay
                      url: smtp://127.0.0.1:2526

                """))
        }
    }

    @Test func wholeSendConnectionsKeepTheirBounds() {
        #expect(throws: Diagnostics([Self.error(14, 16, "delivery.connections must be between 1 and 32, not 0")])) {
            try Settings.parse(Self.settings("  connections: 0\n"))
        }
    }
}
