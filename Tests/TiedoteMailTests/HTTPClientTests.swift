import Testing
@testable import TiedoteMail

/// HTTPS anywhere; plain HTTP only to this machine (the tests' stand-in servers).
@Suite struct HTTPClientTests {
    @Test(arguments: [
        ("https://kalenteri.example.fi/v1/event/", true), ("http://127.0.0.1:8000/v1/", true),
        ("http://localhost/v1/", true), ("http://[::1]:8080/", true),
        ("http://kalenteri.example.fi/v1/", false), ("http://127.0.0.1.example.fi/", false),
        ("ftp://kalenteri.example.fi/", false), ("HTTPS://KALENTERI.EXAMPLE.FI/", true),
    ])
    func onlyLoopbackMayBePlain(url: String, allowed: Bool) {
        #expect(((try? HTTPClient.checkURL(url)) != nil) == allowed)
    }

    @Test func headerValuesWithLineBreaksAreRefusedBeforeSending() {
        #expect(throws: HTTPError.self) {
            try HTTPClient().request("GET", "http://127.0.0.1:9/", headers: ["apikey": "a\r\nX-Evil: 1"])
        }
    }
}
