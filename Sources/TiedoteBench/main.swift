import Foundation
import TiedoteCore

// `make bench`'s single-thread throughput probe (see bench/run.py):
//   tiedote-bench render WORKSPACE MONTH COUNT   per-recipient render only
//   tiedote-bench mime WORKSPACE MONTH COUNT     render + unsubscribe link + MIME bytes, as `send`
//   tiedote-bench transport WORKSPACE MONTH COUNT CONNECTIONS URL [JOURNAL]
//                                                the first recipient's message sent COUNT times
//                                                through libcurl to URL: no list or render; with
//                                                JOURNAL, each copy journalled as `send` does
// Recipients are the workspace's Lists/members.csv rows, cycled; output goes to a null sink.
let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : "render"
let root = URL(fileURLWithPath: arguments.count > 2 ? arguments[2] : ".")
let month = arguments.count > 3 ? arguments[3] : "2026-12"
let count = arguments.count > 4 ? Int(arguments[4]) ?? 10_000 : 10_000
do {
    let bench = try BenchSetup(root: root, month: month)
    let result: BenchResult
    switch mode {
    case "render": result = try bench.render(count: count)
    case "mime": result = try bench.mime(count: count)
    case "transport": result = try bench.transport(count: count, arguments: arguments.dropFirst(5))
    default: throw Diagnostic.error(nil, "unknown mode \(mode): use render, mime or transport")
    }
    print(result.summary(mode: mode, count: count))
} catch {
    FileHandle.standardError.write(Data("tiedote-bench: \(error)\n".utf8))
    exit(1)
}
