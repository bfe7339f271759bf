import Foundation

/// One measured figure: the median of several runs, with their spread.
struct Figure: Encodable {
    var name: String
    var unit: String
    var runs: [Double]
    /// What the issue or the README promises, shown beside the figure.
    var goal: String?
    /// What the figure measured, for the table's last column.
    var detail: String

    var median: Double {
        let sorted = runs.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    var min: Double { runs.min() ?? 0 }
    var max: Double { runs.max() ?? 0 }

    enum CodingKeys: String, CodingKey { case name, unit, runs, goal, detail, median, min, max }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(runs, forKey: .runs)
        try c.encodeIfPresent(goal, forKey: .goal)
        try c.encode(detail, forKey: .detail)
        try c.encode(median, forKey: .median)
        try c.encode(min, forKey: .min)
        try c.encode(max, forKey: .max)
    }

    static func format(_ value: Double) -> String {
        if value >= 10_000 { return Int(value.rounded()).formatted(.number.grouping(.automatic)) }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.3f", value)
    }
}

/// The machine the figures come from, recorded with them.
struct Machine: Encodable {
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var memoryGiB = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
    var os = ProcessInfo.processInfo.operatingSystemVersionString
    var date = ISO8601DateFormatter().string(from: Date())
}

enum Table {
    static func render(_ figures: [Figure]) -> String {
        let header = ["figure", "median", "min", "max", "unit", "runs", "goal"]
        let rows = figures.map {
            [
                $0.name, Figure.format($0.median), Figure.format($0.min), Figure.format($0.max), $0.unit,
                "\($0.runs.count)",
                $0.goal ?? "",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 || index >= 4
                    ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }
}
