import TiedoteCore

extension Reach {
    /// The chart's geometry and colours in one place.
    enum Chart {
        static let width = 920
        static let margin = 24
        static let rowHeight = 24
        static let top = 150
        static let labelWidth = 150
        static let panelWidth = 280
        static let gap = 24
        static let eventsX = margin + labelWidth
        static let subscribersX = eventsX + panelWidth + gap
        static let lastX = subscribersX + panelWidth + gap
        static let valueRoom = 44
        static let eventsColour = "#2b6cb0"
        static let subscribersColour = "#d9730d"
        static let nothingBand = "#fde2e1"
        static let nothingText = "#b42318"
        static let stripe = "#f4f5f7"
        static let muted = "#6b7280"
        static let font = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
    }

    /// A self-contained SVG horizontal bar chart: for each municipality, events and
    /// subscribers as two bar panels with their own scales, the last event date, and the
    /// municipalities with nothing marked in red. No scripts, fonts or links outside it.
    public var svg: String {
        let ranked = rankedRows
        let height = Chart.top + ranked.count * Chart.rowHeight + 96
        let maxEvents = max(1, ranked.map(\.events).max() ?? 1)
        let maxSubscribers = max(1, ranked.map(\.subscribers).max() ?? 1)
        var out = heading(height: height) + legend() + columnHeadings(maxEvents: maxEvents, maxSubscribers: maxSubscribers)
        for (index, row) in ranked.enumerated() {
            out += rowLines(row, index: index, maxEvents: maxEvents, maxSubscribers: maxSubscribers)
        }
        out += footer(bottom: Chart.top + ranked.count * Chart.rowHeight)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The SVG's opening, its title, background, and the chart's title and headline.
    private func heading(height: Int) -> [String] {
        typealias C = Chart
        return [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(C.width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(C.width) \(height)\" font-family=\"\(C.font)\" font-size=\"13\" role=\"img\">",
            "<title>Reach in Keski-Suomi \(periodText.markupEscaped)</title>",
            "<rect width=\"\(C.width)\" height=\"\(height)\" fill=\"#ffffff\"/>",
            text(C.margin, 38, "Reach in Keski-Suomi, \(periodText)", size: 21, weight: "bold"),
            text(C.margin, 62, headline, size: 13.5, fill: "#374151"),
        ]
    }

    /// The three swatches: events, subscribers, nothing.
    private func legend() -> [String] {
        typealias C = Chart
        let legendY = 84
        return [
            rect(C.margin, legendY, 14, 14, fill: C.eventsColour),
            text(C.margin + 20, legendY + 12, "Events in the period"),
            rect(C.margin + 180, legendY, 14, 14, fill: C.subscribersColour),
            text(C.margin + 200, legendY + 12, "Subscribers living there (all lists)"),
            rect(C.margin + 450, legendY, 14, 14, fill: C.nothingBand, stroke: C.nothingText),
            text(C.margin + 470, legendY + 12, "Nothing: no events and no subscribers", fill: C.nothingText),
        ]
    }

    /// The column headings with each panel's scale, and the rule under them.
    private func columnHeadings(maxEvents: Int, maxSubscribers: Int) -> [String] {
        typealias C = Chart
        let headY = C.top - 14
        return [
            text(C.margin, headY, "Municipality", weight: "bold"),
            text(C.eventsX, headY, "Events (0–\(maxEvents))", weight: "bold", fill: C.eventsColour),
            text(C.subscribersX, headY, "Subscribers (0–\(maxSubscribers))", weight: "bold", fill: C.subscribersColour),
            text(C.lastX, headY, "Last event", weight: "bold"),
            line(C.margin, C.top - 6, C.width - C.margin, C.top - 6, stroke: "#9ca3af"),
        ]
    }

    /// One municipality's row: its band, name, two bars (or the nothing text) and last event.
    private func rowLines(_ row: Row, index: Int, maxEvents: Int, maxSubscribers: Int) -> [String] {
        typealias C = Chart
        let barRoom = C.panelWidth - C.valueRoom
        let y = C.top + index * C.rowHeight
        let baseline = y + 16
        var out: [String] = []
        if row.hasNothing {
            out.append(rect(C.margin - 6, y, C.width - 2 * C.margin + 12, C.rowHeight, fill: C.nothingBand))
        } else if index % 2 == 1 {
            out.append(rect(C.margin - 6, y, C.width - 2 * C.margin + 12, C.rowHeight, fill: C.stripe))
        }
        out.append(text(
            C.margin, baseline, row.municipality.rawValue, weight: row.hasNothing ? "bold" : "normal",
            fill: row.hasNothing ? C.nothingText : "#111827"))
        if row.hasNothing {
            out.append(text(C.eventsX + 6, baseline, "no events, no subscribers", style: "italic", fill: C.nothingText))
        } else {
            out.append(contentsOf: bar(
                x: C.eventsX, y: y, value: row.events, max: maxEvents, room: barRoom, colour: C.eventsColour,
                zeroText: "0 — no events"))
            out.append(contentsOf: bar(
                x: C.subscribersX, y: y, value: row.subscribers, max: maxSubscribers, room: barRoom,
                colour: C.subscribersColour, zeroText: "0 — no subscribers"))
        }
        out.append(text(
            C.lastX, baseline, row.lastEvent.map(Reach.finnish) ?? "—",
            fill: row.lastEvent == nil ? C.muted : "#111827"))
        return out
    }

    /// The panels' axes, the closing rule and the notes under the chart.
    private func footer(bottom: Int) -> [String] {
        typealias C = Chart
        return [
            line(C.eventsX, C.top - 6, C.eventsX, bottom, stroke: "#9ca3af"),
            line(C.subscribersX, C.top - 6, C.subscribersX, bottom, stroke: "#9ca3af"),
            line(C.margin, bottom + 4, C.width - C.margin, bottom + 4, stroke: "#9ca3af"),
            text(
                C.margin, bottom + 26,
                "Total: \(municipalEvents) events, \(municipalSubscribers) subscribers in the 22 municipalities. "
                    + "Online events: \(onlineEvents). Subscribers without a municipality: \(subscribersWithoutMunicipality).",
                size: 12, fill: C.muted),
            text(
                C.margin, bottom + 46,
                "Each panel has its own scale. Cancelled events are not counted.", size: 12, fill: C.muted),
            text(
                C.margin, bottom + 66,
                "Last event: the latest event there up to \(Reach.finnish(to)), also before the period; — none in the workspace.",
                size: 12, fill: C.muted),
        ]
    }

    /// A bar with its value, or the zero text when the value is zero.
    private func bar(x: Int, y: Int, value: Int, max: Int, room: Int, colour: String, zeroText: String) -> [String] {
        let baseline = y + 16
        guard value > 0 else {
            return [text(x + 6, baseline, zeroText, style: "italic", fill: Chart.nothingText)]
        }
        let length = Swift.max(2, Int((Double(value) / Double(max) * Double(room)).rounded()))
        return [
            rect(x, y + 5, length, Chart.rowHeight - 10, fill: colour),
            text(x + length + 5, baseline, String(value), weight: "bold"),
        ]
    }

    private func text(
        _ x: Int, _ y: Int, _ content: String, size: Double = 13, weight: String = "normal",
        style: String = "normal", fill: String = "#111827"
    ) -> String {
        var attributes = "x=\"\(x)\" y=\"\(y)\" fill=\"\(fill)\""
        if size != 13 { attributes += " font-size=\"\(size)\"" }
        if weight != "normal" { attributes += " font-weight=\"\(weight)\"" }
        if style != "normal" { attributes += " font-style=\"\(style)\"" }
        return "<text \(attributes)>\(content.markupEscaped)</text>"
    }

    private func rect(_ x: Int, _ y: Int, _ width: Int, _ height: Int, fill: String, stroke: String? = nil) -> String {
        let border = stroke.map { " stroke=\"\($0)\"" } ?? ""
        return "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(fill)\"\(border)/>"
    }

    private func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, stroke: String) -> String {
        "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(stroke)\" stroke-width=\"1\"/>"
    }

}
