import TiedoteCore

extension Reach {
    /// A terminal table, most events first, with a headline and the gaps named.
    public var text: String {
        let nameWidth = max(12, Municipality.keskiSuomi.map(\.rawValue.count).max() ?? 12)
        var lines = [
            "Reach \(periodText): \(headline)",
            "",
            "Municipality".padding(to: nameWidth) + "  Events  Subscribers  Last event  ",
        ]
        lines.append(String(repeating: "-", count: nameWidth + 37))
        for row in rankedRows {
            let last = row.lastEvent.map(Reach.finnish) ?? "–"
            lines.append(
                row.municipality.rawValue.padding(to: nameWidth) + "  " + String(row.events).leftPadded(to: 6)
                    + "  " + String(row.subscribers).leftPadded(to: 11) + "  " + last.padding(to: 10)
                    + (row.gap.isEmpty ? "" : "  ← \(row.gap)"))
        }
        lines.append(String(repeating: "-", count: nameWidth + 37))
        lines.append(
            "Total".padding(to: nameWidth) + "  " + String(municipalEvents).leftPadded(to: 6) + "  "
                + String(municipalSubscribers).leftPadded(to: 11))
        lines.append("")
        lines.append("Online events: \(onlineEvents); subscribers without a municipality: \(subscribersWithoutMunicipality)")
        let empty = rows.filter(\.hasNothing).map(\.municipality.rawValue)
        lines.append(empty.isEmpty ? "Every municipality has events or subscribers."
            : "Nothing in \(empty.count): " + empty.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV for spreadsheets: one row per municipality in alphabetical order, ISO dates.
    public var csv: String {
        var records = [["municipality", "events", "subscribers", "last_event", "gap"]]
        for row in rows {
            records.append([
                row.municipality.rawValue, String(row.events), String(row.subscribers),
                row.lastEvent?.description ?? "", row.gap,
            ])
        }
        records.append(["verkossa", String(onlineEvents), "", "", ""])
        records.append(["(no municipality)", "", String(subscribersWithoutMunicipality), "", ""])
        return CSV.text(records)
    }
}
