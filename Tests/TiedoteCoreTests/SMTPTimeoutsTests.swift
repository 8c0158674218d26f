import Testing
@testable import TiedoteCore

/// `delivery.smtp.timeouts`: per-step SMTP limits, checked where they are written.
@Suite struct SMTPTimeoutsTests {
    static func settings(_ timeouts: String) -> String {
        LoadingTests.settingsText + "\ndelivery:\n  smtp:\n    url: smtp://127.0.0.1:2525\n    timeouts:\n" + timeouts
    }

    @Test func absentMeansRFC5321Defaults() throws {
        let settings = try Settings.parse(LoadingTests.settingsText + "\ndelivery:\n  smtp:\n    url: smtp://127.0.0.1:2525\n")
        #expect(settings.delivery.smtp?.timeouts == SMTPTimeouts(connect: 30, command: 300, data: 180, endOfData: 600))
    }

    @Test func eachKeySetsItsStep() throws {
        let settings = try Settings.parse(Self.settings("      connect: 5\n      command: 6\n      data: 7\n      end_of_data: 8\n"))
        #expect(settings.delivery.smtp?.timeouts == SMTPTimeouts(connect: 5, command: 6, data: 7, endOfData: 8))
    }

    @Test func badValuesAndUnknownKeysAreRefusedWithTheirPositions() {
        #expect(throws: Diagnostics([
            .error(SourcePosition(path: "tiedote.yml", line: 17, column: 7),
                   "unknown key 'reply' in delivery.smtp.timeouts; known keys: connect, command, data, end_of_data"),
            .error(SourcePosition(path: "tiedote.yml", line: 18, column: 20),
                   "delivery.smtp.timeouts.end_of_data must be between 1 and 3600 seconds, not 0"),
        ])) {
            try Settings.parse(Self.settings("      reply: 30\n      end_of_data: 0\n"))
        }
    }
}
