import Testing
import TiedoteMail
@testable import TiedoteSend

struct RecipientStreamTests {
    /// Every recipient arrives once, in order, through a buffer far smaller than the list.
    @Test func streamsInOrderThroughASmallBuffer() throws {
        let addresses = try (0..<5_000).map { try MailAddress("r\($0)@example.fi") }
        let stream = RecipientStream(capacity: 8) { put in
            for address in addresses { put(DeliveryRecipient(address: address)) }
        }
        var received: [String] = []
        for recipient in stream { received.append(recipient.key) }
        #expect(received == addresses.map(\.key))
    }

    @Test func anEmptyListEnds() {
        let stream = RecipientStream { _ in }
        #expect(stream.next() == nil)
    }
}
