import Testing
@testable import TiedoteSend

/// `send --dry-run`'s expected duration: only rate limits bound the pace in advance, the
/// whole send's always and the relays' only when every relay has one.
struct SendEstimateTests {
    typealias Relay = SendEstimate.Relay

    struct Case: Sendable, CustomStringConvertible {
        let label: String
        let messages: Int
        let relays: [Relay]
        let send: Int?
        let ceiling: Int?
        let limit: SendEstimate.Limit
        let seconds: Double?
        var description: String { label }
    }

    static let cases: [Case] = [
        Case(label: "120 at 60/min for the whole send", messages: 120, relays: [Relay(name: "a", connections: 4)],
             send: 60, ceiling: 60, limit: .send, seconds: 120),
        Case(label: "one relay's own rate", messages: 300, relays: [Relay(name: "a", connections: 2, ratePerMinute: 100)],
             send: nil, ceiling: 100, limit: .relays, seconds: 180),
        Case(label: "two rated relays add up", messages: 120,
             relays: [Relay(name: "a", connections: 2, ratePerMinute: 40), Relay(name: "b", connections: 1, ratePerMinute: 20)],
             send: nil, ceiling: 60, limit: .relays, seconds: 120),
        Case(label: "the whole send's rate below the relays' sum wins", messages: 100,
             relays: [Relay(name: "a", connections: 2, ratePerMinute: 40), Relay(name: "b", connections: 1, ratePerMinute: 40)],
             send: 50, ceiling: 50, limit: .send, seconds: 120),
        Case(label: "the relays' sum below the whole send's rate wins", messages: 100,
             relays: [Relay(name: "a", connections: 2, ratePerMinute: 10), Relay(name: "b", connections: 1, ratePerMinute: 10)],
             send: 600, ceiling: 20, limit: .relays, seconds: 300),
        Case(label: "equal limits name the whole send", messages: 60, relays: [Relay(name: "a", connections: 1, ratePerMinute: 30)],
             send: 30, ceiling: 30, limit: .send, seconds: 120),
        Case(label: "an unrated relay can take everything", messages: 100,
             relays: [Relay(name: "a", connections: 2, ratePerMinute: 40), Relay(name: "b", connections: 4)],
             send: nil, ceiling: nil, limit: .none, seconds: nil),
        Case(label: "no limits at all", messages: 100, relays: [Relay(name: "a", connections: 8)],
             send: nil, ceiling: nil, limit: .none, seconds: nil),
        Case(label: "the outbox with a whole-send rate", messages: 30, relays: [], send: 60, ceiling: 60, limit: .send, seconds: 30),
        Case(label: "the outbox without one", messages: 30, relays: [], send: nil, ceiling: nil, limit: .none, seconds: nil),
        Case(label: "nothing to send", messages: 0, relays: [Relay(name: "a", connections: 1)], send: 60, ceiling: 60,
             limit: .send, seconds: 0),
    ]

    @Test(arguments: cases)
    func ceilingLimitAndDuration(_ example: Case) {
        let estimate = SendEstimate(messages: example.messages, relays: example.relays, sendRatePerMinute: example.send)
        #expect(estimate.ceilingPerMinute == example.ceiling)
        #expect(estimate.limit == example.limit)
        #expect(estimate.seconds == example.seconds)
    }

    @Test func connectionsAddUpAndAZeroRateMeansNoLimit() {
        let estimate = SendEstimate(
            messages: 10, relays: [Relay(name: "a", connections: 3, ratePerMinute: 0), Relay(name: "b", connections: 0)],
            sendRatePerMinute: 0)
        #expect(estimate.connections == 4)
        #expect(estimate.ceilingPerMinute == nil)
        #expect(estimate.sendRatePerMinute == nil)
    }

    @Test func theRatedRelaysAloneGiveTheLongestDurationWhenOneIsUnrated() {
        let estimate = SendEstimate(
            messages: 120, relays: [Relay(name: "a", connections: 2, ratePerMinute: 40), Relay(name: "b", connections: 4)],
            sendRatePerMinute: nil)
        #expect(estimate.ratedRelays.map(\.name) == ["a"])
        #expect(estimate.ratedSeconds == 180)
        let none = SendEstimate(messages: 120, relays: [Relay(name: "b", connections: 4)], sendRatePerMinute: nil)
        #expect(none.ratedSeconds == nil)
    }

    @Test(arguments: [
        (0.0, "about 0 s"), (40.4, "about 40 s"), (89.0, "about 89 s"), (116.0, "about 2 min"), (120.0, "about 2 min"),
        (5369.0, "about 89 min"), (5400.0, "about 1 h 30 min"),
        (6000.0, "about 1 h 40 min"), (7200.0, "about 2 h 0 min"),
    ])
    func wordsReadAsAPersonWould(_ seconds: Double, _ expected: String) {
        #expect(SendEstimate.words(seconds: seconds) == expected)
    }

    @Test(arguments: [(0.0, "0:00"), (59.6, "1:00"), (125.0, "2:05"), (7504.0, "125:04"), (-3.0, "0:00")])
    func clockIsMinutesAndSeconds(_ seconds: Double, _ expected: String) {
        #expect(SendEstimate.clock(seconds: seconds) == expected)
    }
}
