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
            dependencies: [.product(name: "Yams", package: "Yams")]),
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
        // The commands, as a library so tests can drive them.
        .target(
            name: "TiedoteCLI",
            dependencies: [
                "TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteExport", "TiedoteSend", "TiedotePublish", "TiedoteInbox",
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
        .testTarget(name: "TiedoteMailTests", dependencies: ["TiedoteMail"]),
        .testTarget(name: "TiedoteInboxTests", dependencies: ["TiedoteInbox"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteExportTests", dependencies: ["TiedoteExport"]),
        .testTarget(name: "TiedoteSendTests", dependencies: ["TiedoteSend"]),
        .testTarget(name: "TiedotePublishTests", dependencies: ["TiedotePublish"]),
        .testTarget(name: "TiedoteCLITests", dependencies: ["TiedoteCLI"], exclude: ["Fixtures", "HelpSnapshots"]),
    ]
)
