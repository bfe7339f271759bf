import AgentStore
import AgentStoreSQLite
import FlxpointSandbox
import Foundation
import FulfillmentCore

/// `replay` and `report` over a long decision log, whole process.
extension Workloads {
    /// A database holding `count` logged decisions, as `run` would have recorded them.
    func decisionLog(_ count: Int) async throws -> String {
        let db = path("history-\(count).sqlite")
        if FileManager.default.fileExists(atPath: db) { return db }
        let database = try AgentDatabase.open(path: db)
        let seed = SandboxSeed.generate(count: count, seed: 11, now: now)
        let levels = seed.stock.map { StockLevel(sku: $0.sku, location: $0.location, onHand: 1_000_000) }
        var ledger = StockLedger(levels: levels)
        // On the shelf in the database too: the store refuses reservations beyond stock on hand.
        try await database.replaceStock(levels, source: "bench", at: now)
        let encoder = StableJSON.encoder()
        let decidedAt = Date()
        for chunk in seed.frs.chunked(1000) {
            let raw = try chunk.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try await database.recordSeen(Array(zip(chunk, raw)), at: decidedAt)
            let rawById = Dictionary(zip(chunk.map(\.id), raw), uniquingKeysWith: { a, _ in a })
            let decisions = DecisionCycle.decide(Array(chunk), ruleSet: ruleSet, ledger: &ledger, now: now).decisions
            let writes = decisions.map {
                DecisionWrite($0, outbox: nil, input: DecisionInput(frFingerprint: nil, frJSON: rawById[$0.frId]))
            }
            _ = try await database.recordDecisions(writes, cycleId: nil, at: decidedAt)
        }
        return db
    }

    func history() async throws -> [Figure] {
        let count = size(100_000)
        let started = ContinuousClock.now
        let db = try await decisionLog(count)
        let built = Self.seconds(ContinuousClock.now - started)
        FileHandle.standardError.write(Data("  decision log of \(count) built in \(Int(built)) s\n".utf8))
        var figures: [Figure] = []
        let commands: [(String, [String], String?, String?)] = [
            ("replay", ["replay", "--db", db, "--rules", options.rules, "--format", "json"], "≤ 1", nil),
            (
                "report html", ["report", "--db", db, "--format", "html", "--output", path("report.html")], "≤ 5",
                "≤ 200"
            ),
            ("report csv", ["report", "--db", db, "--format", "csv", "--output", path("report.csv")], "≤ 5", "≤ 200"),
        ]
        for (name, arguments, goal, rssGoal) in commands {
            var rss: [Double] = []
            let seconds = try repeated {
                let finished = try ChildProcess.run(binary, arguments, stderr: path("history.err"))
                rss.append(finished.peakRSSMB)
                return finished.seconds
            }
            figures.append(
                Figure(
                    name: "\(name) of \(count) logged decisions", unit: "s", runs: seconds,
                    goal: count == 100_000 ? goal : nil, detail: "whole process"))
            figures.append(
                Figure(
                    name: "\(name): peak RSS", unit: "MB", runs: rss, goal: count == 100_000 ? rssGoal : nil, detail: ""
                ))
        }
        return figures
    }
}
