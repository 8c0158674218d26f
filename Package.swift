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
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                // SHA-256 for the salted hashes of forgotten addresses in suppressed.csv.
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
        // The commands, as a library so tests can drive them.
        .target(
            name: "TiedoteCLI",
            dependencies: [
                "TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteExport", "TiedoteInbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `init` copies the starter templates (kept equal to the sample's by a test).
            resources: [.copy("Starter")]),
        .executableTarget(name: "tiedote", dependencies: ["TiedoteCLI"]),
        // `make bench` only: per-recipient render and MIME throughput, and memory at scale.
        .executableTarget(
            name: "tiedote-bench", dependencies: ["TiedoteCore", "TiedoteAudience", "TiedoteRender", "TiedoteMail", "TiedoteCLI"],
            path: "Sources/TiedoteBench"),

        .testTarget(name: "TiedoteCoreTests", dependencies: ["TiedoteCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteAudienceTests", dependencies: ["TiedoteAudience"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteRenderTests", dependencies: ["TiedoteRender"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteMailTests", dependencies: ["TiedoteMail"]),
        .testTarget(name: "TiedoteInboxTests", dependencies: ["TiedoteInbox"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TiedoteExportTests", dependencies: ["TiedoteExport"]),
        .testTarget(name: "TiedoteCLITests", dependencies: ["TiedoteCLI"]),
    ]
)
