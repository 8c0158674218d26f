import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct SubscriptionTokenTests {
    let secret = Secret("test-secret-0123456789")
    let pending = SubscriptionToken(
        list: "members", email: "Uusi.Jasen@example.fi", name: "Uusi Jäsen", municipality: .saarijarvi,
        interests: ["tanssi", "teatteri"], expires: 2_000_000_000)

    @Test func roundTripsEveryField() throws {
        let token = pending.encoded(secret: secret)
        #expect(try SubscriptionToken.verify(token, secret: secret, now: 1_900_000_000) == pending)
    }

    @Test func refusesExpiredForgedTruncatedAndUnsubscribeTokens() throws {
        let token = pending.encoded(secret: secret)
        #expect(throws: SubscriptionToken.Refusal.expired) {
            try SubscriptionToken.verify(token, secret: secret, now: 2_000_000_000)
        }
        #expect(throws: SubscriptionToken.Refusal.badSignature) {
            try SubscriptionToken.verify(token, secret: Secret("another-secret"), now: 0)
        }
        #expect(throws: SubscriptionToken.Refusal.malformed) {
            try SubscriptionToken.verify(String(token.dropLast(5)), secret: secret, now: 0)
        }
        // Same secret, same base64url framing, other purpose: never accepted as a subscription.
        let unsubscribe = UnsubscribeToken(list: "members", address: "a@example.fi").encoded(secret: secret)
        #expect(throws: SubscriptionToken.Refusal.self) { try SubscriptionToken.verify(unsubscribe, secret: secret, now: 0) }
    }

    @Test func becomesAWebConsentRow() {
        let row = pending.subscriber(confirmedAt: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(row.consentSource == "web")
        #expect(row.consentedAt == "2027-01-15T08:00:00Z")
        #expect(row.municipality == .saarijarvi && row.interests == ["tanssi", "teatteri"])
    }
}
