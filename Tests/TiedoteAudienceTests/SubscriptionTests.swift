import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

/// A confirmed web subscription joins its list once, keeps every other byte of the file, and
/// many at once through `ListWriteLock` lose none.
struct SubscriptionTests {
    @Test func addsOnceAndKeepsTheFileAsItWas() throws {
        let workspace = try Fixture.workspace()
        let path = Workspace.listPath("web")
        let before = "email,name,municipality,interests,language,consent_source,consented_at\nold@example.fi,Vanha,,,fi,lomake,2024-01-01\nnot an address,,,,fi,,\n"
        try Data(before.utf8).write(to: workspace.url(path))
        let row = Subscriber(email: "Uusi@Example.fi", name: "Uusi, Jäsen", municipality: .keuruu, interests: ["tanssi"],
            consentSource: "web", consentedAt: "2026-12-01T10:00:00Z")
        #expect(try workspace.addSubscriber(row, list: "web"))
        #expect(!(try workspace.addSubscriber(Subscriber(email: "uusi@example.fi"), list: "web")), "the same address, any case")
        let after = try workspace.text(path)
        #expect(after == before + "Uusi@Example.fi,\"Uusi, Jäsen\",Keuruu,tanssi,fi,web,2026-12-01T10:00:00Z\n")
    }

    @Test func createsAMissingListWithItsHeader() throws {
        let workspace = try Fixture.workspace()
        #expect(try workspace.addSubscriber(Subscriber(email: "a@example.fi"), list: "uusi"))
        #expect(try workspace.subscribers(list: "uusi").map(\.email) == ["a@example.fi"])
    }

    @Test func concurrentAddsThroughTheLockLoseNothing() throws {
        let workspace = try Fixture.workspace()
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            _ = try? ListWriteLock.withLock(workspace) {
                try workspace.addSubscriber(Subscriber(email: "j\(index % 20)@example.fi"), list: "rinnakkain")
            }
        }
        let emails = try workspace.subscribers(list: "rinnakkain").map(\.email)
        #expect(emails.count == 20)
        #expect(Set(emails).count == 20)
    }
}
