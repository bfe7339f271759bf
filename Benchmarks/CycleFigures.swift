import AgentStore
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import SourceAgent
import SourceAgentCommands

/// A whole poll cycle through the real stack in one process (sandbox over loopback, SQLite
/// on disk), then the rest of the loop: a tracking import for every acknowledged FR and an
/// inventory push.
extension Workloads {
    func cycle() async throws -> [Figure] {
        let count = size(2000)
        var results: [CycleResult] = []
        _ = try await repeated {
            let result = try await Self.runCycle(frs: count, rulesPath: options.rules)
            results.append(result)
            return result.decideSeconds
        }
        return [
            Figure(
                name: "poll cycle in process: fetch, decide, record", unit: "FRs/s",
                runs: results.map { Double($0.frs) / $0.decideSeconds }, goal: nil,
                detail: "\(count) FRs, sandbox in the same process, paused (nothing sent)"),
            Figure(
                name: "next cycle: send the answers", unit: "answers/s",
                runs: results.map { Double($0.sent) / $0.totalSeconds }, goal: nil,
                detail: "\(results.last?.sent ?? 0) answers, rate limit off"),
            Figure(
                name: "tracking import: shipments checked, recorded, created", unit: "shipments/s",
                runs: results.map { Double($0.shipments) / $0.trackingSeconds }, goal: nil,
                detail: "\(results.last?.trackingRows ?? 0) rows, \(results.last?.shipments ?? 0) shipments"),
            Figure(
                name: "inventory push", unit: "s", runs: results.map(\.pushSeconds), goal: nil,
                detail: "\(results.last?.pushedSKUs ?? 0) SKUs: variant lookup, \(results.last?.pushRequests ?? 0) PUTs"
            ),
        ]
    }

    struct CycleResult {
        var frs: Int
        var decideSeconds: Double
        var totalSeconds: Double
        var sent: Int
        var trackingRows = 0
        var shipments = 0
        var trackingSeconds = 0.0
        var pushedSKUs = 0
        var pushRequests = 0
        var pushSeconds = 0.0
    }

    /// SKUs in the inventory push.
    static let pushSKUs = 5000

    static func runCycle(frs count: Int, rulesPath: String) async throws -> CycleResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = try Timestamp.parseInstant("2026-11-27T09:00:00-06:00")
        let seed = SandboxSeed.generate(count: count, seed: 3, now: now)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let quiet = logger
        let server = SandboxServer(
            configuration: SandboxConfiguration(token: "bench-token", rateLimit: 0),
            state: SandboxState(
                frs: seed.frs,
                variants: (0..<pushSKUs).map { InventoryVariant(inventoryVariantId: 1_000_000 + $0, sku: sku($0)) }),
            logger: quiet)
        return try await server.withRunning { url in
            let db = directory.appendingPathComponent("agent.sqlite").path
            let configuration = AgentConfiguration(
                databasePath: db,
                settings: AgentSettings(
                    rulesPath: rulesPath, pauseFile: directory.appendingPathComponent("PAUSE").path, pageSize: 500),
                client: FlxpointClientConfiguration(
                    baseURL: url, token: FlxpointToken("bench-token"), requestsPerSecond: 0))
            let agent = try await AgentComposition.makeAgent(
                configuration: configuration, logger: quiet, clock: { now })
            // Plenty of stock, so most FRs are answered and the guard stays quiet.
            let stock = seed.stock.map { StockLevel(sku: $0.sku, location: $0.location, onHand: $0.onHand * 200 + 500) }
            try await agent.database.replaceStock(stock, source: "bench", at: now)
            // Deciding alone: pause, so the cycle records decisions but sends nothing.
            FileManager.default.createFile(atPath: configuration.settings.pauseFile, contents: Data())
            let clock = ContinuousClock()
            let decide = try await clock.measure { _ = try await agent.cycle.run() }
            try FileManager.default.removeItem(atPath: configuration.settings.pauseFile)
            var sent = 0
            let total = try await clock.measure {
                let report = try await agent.cycle.run()
                sent = report.send.sent
            }
            var result = CycleResult(
                frs: count, decideSeconds: decide.timeInterval, totalSeconds: total.timeInterval, sent: sent)

            var csv = "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n"
            for (frId, units) in try await agent.database.heldUnitsByFR() {
                for (sku, quantity) in units { csv += "\(frId),\(sku),\(quantity),1Z\(frId),UPS,Ground,\n" }
            }
            result.trackingRows = csv.split(separator: "\n").count - 1
            let tracking = try await clock.measure {
                result.shipments = try await agent.tracking.importFile(csv, path: "bench.csv").sent
            }
            result.trackingSeconds = tracking.timeInterval

            let wide = (0..<pushSKUs).map { StockLevel(sku: sku($0), location: "dallas", onHand: $0 % 50) }
            try await agent.database.replaceStock(stock + wide, source: "bench", at: now)
            let push = try await clock.measure {
                let plan = try await agent.inventory.plan(safetyStock: 1, includeCost: false, all: false)
                let report = try await agent.inventory.push(plan, includeCost: false)
                result.pushedSKUs = report.pushed
                result.pushRequests = report.requests
            }
            result.pushSeconds = push.timeInterval
            return result
        }
    }

    static func sku(_ index: Int) -> String { String(format: "WIDE-%05d", index) }

}
