import Testing
@testable import TiedoteWeb

struct RateLimiterTests {
    @Test func allowsTheLimitPerWindowPerClient() {
        let limiter = RateLimiter(limit: 3, window: 3600)
        #expect((0..<3).allSatisfy { limiter.allow("10.0.0.1", now: 1000 + $0) })
        #expect(!limiter.allow("10.0.0.1", now: 1010))
        #expect(limiter.allow("10.0.0.2", now: 1010), "another client has its own count")
        #expect(!limiter.allow("10.0.0.1", now: 1000 + 3599))
        #expect(limiter.allow("10.0.0.1", now: 1000 + 3600), "the first request has left the window")
    }
}
