import Foundation
import TiedoteCore
import TiedoteRender

// Per-recipient render throughput on one core: `tiedote-bench render WORKSPACE MONTH COUNT`.
let arguments = CommandLine.arguments
let root = URL(fileURLWithPath: arguments.count > 2 ? arguments[2] : ".")
let month = arguments.count > 3 ? arguments[3] : "2026-12"
let count = arguments.count > 4 ? Int(arguments[4]) ?? 10_000 : 10_000
do {
    let workspace = try Workspace.load(at: root)
    guard let issue = workspace.issues[YearMonth(iso: month) ?? YearMonth(Helsinki.local(at: 0).date)] else {
        throw Diagnostic.error(nil, "no issue \(month)")
    }
    let newsletter = try Newsletter.load(issue: issue, workspace: workspace)
    let municipalities = Municipality.keskiSuomi
    let start = Date()
    var bytes = 0
    for index in 0..<count {
        let subscriber = Subscriber(
            email: "jasen\(index)@example.fi", name: "Jäsen \(index) Mäkelä",
            municipality: municipalities[index % municipalities.count])
        let rendered = try newsletter.render(for: subscriber, unsubscribeURL: "https://example.fi/peru?t=\(index)")
        bytes += rendered.html.utf8.count + rendered.text.utf8.count
    }
    let seconds = Date().timeIntervalSince(start)
    print("render: \(count) messages in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) msg/s, \(bytes / count) bytes each")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
