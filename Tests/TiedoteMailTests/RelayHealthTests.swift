import Testing
@testable import TiedoteMail

/// The back-off controller: when a relay is slowed down, raised back and rested.
@Suite struct RelayHealthTests {
    static func health(connections: Int = 4, rate: Int? = 300) -> RelayHealth {
        RelayHealth(name: "oma", connections: connections, ratePerMinute: rate, options: DeliveryOptions())
    }

    @Test func threeSlowDownsInAWindowHalveConnectionsAndRate() {
        var health = Self.health()
        #expect(health.record(.slowDown, at: 0, othersCanWork: false).isEmpty)
        #expect(health.record(.slowDown, at: 10, othersCanWork: false).isEmpty)
        #expect(health.record(.slowDown, at: 20, othersCanWork: false) == ["oma: 3× 421/451 in 60 s, down to 2 connections and 150/min"])
        #expect(health.connections == 2 && health.ratePerMinute == 150)
        // The window starts afresh: three more halve again, never below 1.
        for time in [21.0, 22, 23, 24, 25, 26, 27, 28, 29] { _ = health.record(.slowDown, at: time, othersCanWork: false) }
        #expect(health.connections == 1 && health.ratePerMinute == 18)
    }

    @Test func slowDownsSpreadOverMoreThanTheWindowChangeNothing() {
        var health = Self.health()
        for time in [0.0, 40, 80, 120, 160] { _ = health.record(.slowDown, at: time, othersCanWork: false) }
        #expect(health.connections == 4 && health.ratePerMinute == 300)
    }

    @Test func aQuietPeriodRaisesBackOneStepAtATime() {
        var health = Self.health()
        for time in [0.0, 1, 2, 3, 4, 5] { _ = health.record(.slowDown, at: time, othersCanWork: false) }
        #expect(health.connections == 1 && health.ratePerMinute == 75)
        #expect(health.raiseIfQuiet(at: 30) == nil, "not quiet long enough")
        #expect(health.raiseIfQuiet(at: 65) == "oma: quiet for 60 s, back up to 2 connections and 150/min")
        #expect(health.raiseIfQuiet(at: 100) == nil, "one step per quiet period")
        #expect(health.raiseIfQuiet(at: 125) == "oma: quiet for 60 s, back up to 4 connections and 300/min")
        #expect(health.raiseIfQuiet(at: 500) == nil, "never above the configured limits")
    }

    @Test func aRelayWithTroubleInARowRestsOnlyWhenAnotherCanTakeItsShare() {
        var lone = Self.health()
        for time in [0.0, 1, 2, 3] { _ = lone.record(.trouble, at: time, othersCanWork: false) }
        #expect(!lone.isResting(at: 4))

        var health = Self.health()
        _ = health.record(.trouble, at: 0, othersCanWork: true)
        _ = health.record(.answered, at: 1, othersCanWork: true)
        _ = health.record(.trouble, at: 2, othersCanWork: true)
        #expect(health.record(.trouble, at: 3, othersCanWork: true).isEmpty, "an answer in between starts the count again")
        #expect(health.record(.trouble, at: 4, othersCanWork: true)
            == ["oma: 3 failures in a row, resting for 30 s; the other relays take its share"])
        #expect(health.isResting(at: 33) && !health.isResting(at: 34))
        for time in [35.0, 36, 37] { _ = health.record(.trouble, at: time, othersCanWork: true) }
        #expect(health.isResting(at: 96) && !health.isResting(at: 97), "the second rest in a row is twice as long")
    }
}
