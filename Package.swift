// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tiedote",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tiedote", targets: ["tiedote"]),
        .library(name: "TiedoteCLI", targets: ["TiedoteCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The web server of `tiedote serve`; only TiedoteWeb and the CLI depend on it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C libraries, each behind a tiny shim; exactly one Swift file imports each.
        .systemLibrary(
            name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),

        // Models, workspace loading and validation, Finnish date text.
        .target(
            name: "TiedoteCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                // SHA-256 of event content (the calendar revisions' digests).
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Subscribers beyond loading: import, suppression, unsubscribe tokens, erasure, reach.
        .target(
            name: "TiedoteAudience",
            dependencies: ["TiedoteCore", .product(name: "Crypto", package: "swift-crypto")]),
        // Reading the mailbox: a strict MIME reader and the bounce / unsubscribe / auto-reply classifier.
        .target(
            name: "TiedoteInbox",
            dependencies: ["TiedoteCore", "TiedoteAudience", .product(name: "Crypto", package: "swift-crypto")]),
        // Template merge and Markdown to HTML / plain text.
        .target(name: "TiedoteRender", dependencies: ["TiedoteCore", "CCmark"]),
        // MIME, transports (SMTP through libcurl, Maildir outbox) and the delivery journal.
        .target(name: "TiedoteMail", dependencies: ["TiedoteCore", "CCurl"]),
        // Calendar exports and announcements.
        .target(name: "TiedoteExport", dependencies: ["TiedoteCore", "TiedoteRender"]),
        // One send: who gets it (list, segment, suppression), each recipient's message, and
        // the recipients streamed to the delivery engine. Shared by the CLI and, later, the
        // web side and the inbox.
        .target(
            name: "TiedoteSend",
            dependencies: ["TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail"]),
        // Publishing events to the regional calendar's Linked Events API (HTTPS through the
        // libcurl shim in TiedoteMail), with its journal in Sent/.
        .target(name: "TiedotePublish", dependencies: ["TiedoteCore", "TiedoteExport", "TiedoteMail"]),
        // The public web site as static files (archive, Atom feed, event pages, .ics feeds):
        // no web server here, so `tiedote site` output and its tests need no Hummingbird.
        .target(
            name: "TiedoteSite",
            dependencies: ["TiedoteCore", "TiedoteRender", "TiedoteExport"]),
        // `tiedote serve`: the site plus double opt-in (/tilaa, /vahvista) and RFC 8058
        // one-click unsubscribe (/peru) on Hummingbird 2; the only library that links it.
        .target(
            name: "TiedoteWeb",
            dependencies: [
                "TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteSite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The commands, as a library so tests can drive them.
        .target(
            name: "TiedoteCLI",
            dependencies: [
                "TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteExport", "TiedoteSend", "TiedotePublish", "TiedoteInbox",
                "TiedoteSite", "TiedoteWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `init` copies the starter templates (kept equal to the sample's by a test).
            resources: [.copy("Starter")]),
        .executableTarget(name: "tiedote", dependencies: ["TiedoteCLI"]),
        // `make bench` only: per-recipient render and MIME throughput, and memory at scale.
        .executableTarget(
            name: "tiedote-bench", dependencies: ["TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteSend", "TiedoteCLI"],
            path: "Sources/TiedoteBench"),

        // Helpers shared by test targets (a test target cannot import another).
        .target(name: "TiedoteTestSupport", dependencies: ["TiedoteCore"], path: "Tests/TiedoteTestSupport"),
        .testTarget(
            name: "TiedoteCoreTests", dependencies: ["TiedoteCore", "TiedoteTestSupport"]),
        .testTarget(
            name: "TiedoteAudienceTests", dependencies: ["TiedoteAudience", "TiedoteTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteRenderTests", dependencies: ["TiedoteRender"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteMailTests", dependencies: ["TiedoteMail", "TiedoteTestSupport"]),
        .testTarget(name: "TiedoteInboxTests", dependencies: ["TiedoteInbox"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteExportTests", dependencies: ["TiedoteExport"]),
        .testTarget(name: "TiedoteSendTests", dependencies: ["TiedoteSend", "TiedoteTestSupport"]),
        .testTarget(name: "TiedotePublishTests", dependencies: ["TiedotePublish"]),
        .testTarget(name: "TiedoteCLITests", dependencies: ["TiedoteCLI"], exclude: ["Fixtures", "HelpSnapshots"]),
        // The server's pure parts (forms, tokens, limits); the routes are driven over loopback
        // by Tests/integration/test_serve.py, so no HummingbirdTesting (and its HTTP client) here.
        .testTarget(name: "TiedoteWebTests", dependencies: ["TiedoteWeb", "TiedoteSite"]),
    ]
)
