import Foundation
import TiedoteAudience
import TiedoteCore
import TiedoteInbox

/// The fixture folder and the workspace facts the fixtures were made for.
enum Support {
    static let secret = Secret("inbox-test-secret")
    static let domain = "tuottajaverkosto.example.fi"
    static let members = ["aino.makela@example.fi", "mikko.mallikas@example.fi", "pekka.niemi@example.fi"]

    static func fixture(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }

    /// The sample network's context: unsubscribe and VERP tokens signed with the test secret.
    static let context: InboxContext = {
        let signer = ReturnPathToken.signer(secret)
        let members = Set(Support.members)
        return InboxContext(
            unsubscribeAddress: "peru@\(domain)", returnPath: "bounces@\(domain)",
            ownAddresses: ["tuottajaverkosto@humak.example.fi"],
            unsubscribeToken: { text in
                guard let token = try? UnsubscribeToken.verify(text, secret: secret) else { return nil }
                return (token.list, token.address)
            },
            returnToken: { text, candidates in
                guard let token = ReturnPathToken(text) else { return nil }
                let address = members.first { token.names($0, list: "members", signer: signer) }
                return InboxContext.ReturnPath(send: "\(token.month)/members", address: address,
                    names: Set(candidates.filter { token.names($0, list: "members", signer: signer) }))
            },
            isSubscribed: { members.contains($0) })
    }()
}
