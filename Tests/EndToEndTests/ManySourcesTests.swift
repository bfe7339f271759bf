import AgentStore
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import SourceAgent
import SourceAgentCommands
import Testing

/// Two Flxpoint accounts (two sandboxes, two tokens) answered by one agent over one database.
@Suite("Many sources, one warehouse")
struct ManySourcesTests {
    static let rules = """
        version: 1
        warehouse: { timezone: America/Chicago, cutoff: "14:00", country: US }
        stock: { safety_stock: 0, locations: [dallas] }
        rules:
          - name: complete
            when: stock.covers_all
            then: acknowledge
        default:
          then: hold
          note: waiting for stock
        """

    static let tokenB = "retailer-b-token-77aa"

    /// Two sandboxes holding FRs with the same ids and numbers (ids are unique only within an
    /// account), one agent with a source for each.
    static func withTwoSources<T: Sendable>(
        frsA: [FulfillmentRequest], frsB: [FulfillmentRequest], pools: (String, String) = ("shared", "shared"),
        maxShareB: Double? = nil, _ body: @Sendable (Agent, SandboxState, SandboxState) async throws -> T
    ) async throws -> T {
        let directory = try Scratch.directory("many-sources")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rulesPath = directory.appendingPathComponent("rules.yaml").path
        try rules.write(toFile: rulesPath, atomically: true, encoding: .utf8)
        var logger = Logger(label: "many")
        logger.logLevel = .critical
        let quiet = logger
        return try await Harness.withSandbox(frs: frsA) { urlA, sandboxA in
            try await Harness.withSandbox(frs: frsB, configure: { $0.token = tokenB }) { urlB, sandboxB in
                let databasePath = directory.appendingPathComponent("agent.sqlite").path
                func client(_ url: String, _ token: String) -> FlxpointClientConfiguration {
                    FlxpointClientConfiguration(
                        baseURL: url, token: FlxpointToken(token), requestsPerSecond: 0,
                        retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5)))
                }
                let configuration = AgentConfiguration(
                    databasePath: databasePath,
                    settings: AgentSettings(
                        rulesPath: rulesPath, pauseFile: AgentSettings.pauseFile(besideDatabase: databasePath)),
                    sources: [
                        SourceConfiguration(
                            name: "retailer-a", pool: pools.0, client: client(urlA, Harness.token),
                            rulesPath: rulesPath, interval: .seconds(1)),
                        SourceConfiguration(
                            name: "retailer-b", pool: pools.1, client: client(urlB, tokenB), rulesPath: rulesPath,
                            interval: .seconds(1), maxShare: maxShareB),
                    ])
                let agent = try await AgentComposition.makeAgent(
                    configuration: configuration, logger: quiet, clock: { Harness.now })
                let result = try await body(agent, sandboxA, sandboxB)
                #expect(try await agent.database.integrityProblems() == [])
                return result
            }
        }
    }

    /// FRs answered; each of the tests' FRs asks for one unit.
    static func answered(_ sandbox: SandboxState) async -> Int { await sandbox.stats().answers.count }

    @Test("a shared pool of 10 units, 16 FRs from two retailers deciding at once: never more than 10 promised")
    func sharedPool() async throws {
        // The same FR ids and numbers in both accounts.
        let frs = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 8))
        try await Self.withTwoSources(frsA: frs, frsB: frs) { agent, sandboxA, sandboxB in
            try await agent.sources[0].database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "test", at: Harness.now)
            for _ in 0..<3 {
                async let a = agent.sources[0].cycle.run()
                async let b = agent.sources[1].cycle.run()
                _ = try await (a, b)
            }
            let statsA = await sandboxA.stats()
            let statsB = await sandboxB.stats()
            #expect(statsA.answers.count + statsB.answers.count == 10, "\(statsA.answers) \(statsB.answers)")
            #expect(statsA.duplicates == 0 && statsB.duplicates == 0)
            #expect(statsA.answers.values.allSatisfy { $0 == 1 } && statsB.answers.values.allSatisfy { $0 == 1 })
            // Each source's records are its own although the ids are the same.
            for (source, stats) in zip(agent.sources, [statsA, statsB]) {
                let held = try await source.database.heldUnitsByFR()
                #expect(held.count == stats.answers.count, "\(source.name)")
                #expect(Set(held.keys.map(String.init)) == Set(stats.answers.keys), "\(source.name)")
                #expect(try await source.database.status().openHolds == 8 - stats.answers.count)
                // Oldest first within each source: the answered FRs are its oldest ones.
                let answered = held.keys.sorted()
                #expect(answered == frs.prefix(answered.count).map(\.id), "\(source.name)")
            }
            let ledger = try await agent.sources[1].database.loadLedger()
            #expect(ledger.promisable(sku: "A", safetyStock: 0) == 0)
        }
    }

    @Test("oldest first across the pool: another source's older FRs, read but not decided yet, keep their units")
    func oldestFirstAcrossPool() async throws {
        // Retailer B's FRs are an hour older than retailer A's.
        let frsA = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 3))
        let frsB = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 3), firstId: 80_001).map {
            var fr = $0
            fr.generatedAt = fr.generatedAt?.addingTimeInterval(-3600)
            return fr
        }
        try await Self.withTwoSources(frsA: frsA, frsB: frsB) { agent, a, b in
            let (sourceA, sourceB) = (agent.sources[0], agent.sources[1])
            try await sourceA.database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 4)], source: "test", at: Harness.now)
            // B's poll has read its FRs (what its cycle does first) but not decided them yet.
            try await sourceB.database.recordSeen(
                frsB.map { ($0, String(decoding: try JSONEncoder().encode($0), as: UTF8.self)) }, at: Harness.now)
            _ = try await sourceA.cycle.run()
            // B's three older FRs come first: one unit is left, and A's oldest FR gets it.
            #expect(await a.stats().answers.keys.sorted() == ["70001"])
            let held = try await sourceA.database.decisions(forFR: "70002").last
            #expect(held?.decision == .hold)
            #expect(held?.note?.hasPrefix("older FRs of other sources in stock pool shared come first") == true)
            _ = try await sourceB.cycle.run()
            #expect(await b.stats().answers.count == 3)
            // Nothing is left for A's other two: they wait for stock, by A's own rules now.
            _ = try await sourceA.cycle.run()
            #expect(await a.stats().answers.count == 1)
            #expect(try await sourceA.database.decisions(forFR: "70003").last?.note == "waiting for stock")
        }
    }

    @Test("a pool per source: each draws only on its own stock, and stock import --pool leaves the other alone")
    func separatePools() async throws {
        let frs = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 4))
        try await Self.withTwoSources(frsA: frs, frsB: frs, pools: ("brand-a", "brand-b")) { agent, a, b in
            try await agent.sources[0].database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 3)], source: "a.csv", at: Harness.now)
            try await agent.sources[1].database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 1)], source: "b.csv", at: Harness.now)
            for source in agent.sources { _ = try await source.cycle.run() }
            #expect(await Self.answered(a) == 3)
            #expect(await Self.answered(b) == 1)
            // A new count for brand-b frees one unit there and changes nothing for brand-a.
            try await agent.sources[1].database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 2)], source: "b.csv", at: Harness.now)
            for source in agent.sources { _ = try await source.cycle.run() }
            #expect(await Self.answered(a) == 3)
            #expect(await Self.answered(b) == 2)
        }
    }

    @Test("inventory push: each account is offered its pool's free units, retailer-b at most 60% of them")
    func poolFigures() async throws {
        let frs = AgentFixture.simpleFRs([("A", 2), ("B", 1)])
        try await Self.withTwoSources(frsA: frs, frsB: frs, maxShareB: 0.6) { agent, a, b in
            try await agent.sources[0].database.replaceStock(
                [
                    StockLevel(sku: "A", location: "dallas", onHand: 10),
                    StockLevel(sku: "B", location: "dallas", onHand: 5),
                ],
                source: "test", at: Harness.now)
            for source in agent.sources { _ = try await source.cycle.run() }
            // Both accounts' FRs hold 4 of A and 2 of B: 6 and 3 are free in the pool.
            for source in agent.sources {
                let push = source.inventory
                _ = try await push.push(
                    try await push.plan(safetyStock: 0, includeCost: false, all: false), includeCost: false)
            }
            let offeredA = await a.allVariants().map { "\($0.sku) \($0.quantity ?? -1)" }
            let offeredB = await b.allVariants().map { "\($0.sku) \($0.quantity ?? -1)" }
            #expect(offeredA == ["A 6", "B 3"])
            #expect(offeredB == ["A 3", "B 1"])
        }
    }

    @Test("tracking rows go to the source their column names; an FR number both sources know is refused naming both")
    func trackingRouting() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1)])
        let onlyB = AgentFixture.simpleFRs([("A", 1)], firstId: 90_001)
        try await Self.withTwoSources(frsA: frs, frsB: frs + onlyB) { agent, a, b in
            try await agent.sources[0].database.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "test", at: Harness.now)
            for source in agent.sources { _ = try await source.cycle.run() }
            let file = """
                fr,sku,quantity,tracking_number,source
                FR-70001,A,1,1Z-A-1,retailer-a
                FR-70001,A,1,1Z-B-1,retailer-b
                FR-70002,A,1,1Z-X-2,
                FR-90001,A,1,1Z-B-9,
                FR-70002,A,1,1Z-Q-2,retailer-q
                """
            let report = try await agent.tracking.importFile(file, path: "ship.csv")
            #expect(report.sent == 3, "\(report.problems)")
            #expect(report.rejected == 2)
            #expect(
                report.problems.contains(
                    "ship.csv:4: FR 'FR-70002' exists in sources retailer-a and retailer-b: add a 'source' column "
                        + "saying which"), "\(report.problems)")
            #expect(report.problems.contains { $0.hasPrefix("ship.csv:6: unknown source 'retailer-q'") })
            #expect(await a.stats().shippedUnits == ["70001": 1])
            #expect(await b.stats().shippedUnits == ["70001": 1, "90001": 1])
        }
    }

    @Test("one source refused (401) on every request while the other's answers all flow, within its 2 requests/s")
    func failingSourceIsolated() async throws {
        let directory = try Scratch.directory("many-sources-proc")
        defer { try? FileManager.default.removeItem(at: directory) }
        @Sendable func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let count = 10
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1), ("A", 1)])) { urlA, sandboxA in
            try await Harness.withSandbox(
                frs: AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: count)),
                configure: {
                    $0.token = Self.tokenB
                    $0.rateLimit = 2
                }
            ) { urlB, sandboxB in
                _ = await HTTPProbe.post(
                    urlA + "/_sandbox/faults", json: Data(#"{"force_status": 401}"#.utf8), method: "PUT")
                let config = try await Self.workspace(directory, urls: (urlA, urlB), stock: 100)
                let agent = try AgentBinary.launch(["run", "--config", config, "--metrics-port", String(port)])
                defer { agent.stopInBackground() }
                // B is not held back by A: every answer goes, none refused or slowed by a 429
                // (how fast a loaded machine gets there is not the question), and its budget is
                // kept.
                #expect(
                    await RunningAgent.eventually(timeout: .seconds(60)) {
                        await sandboxB.stats().answers.count == count
                    })
                let statsB = await sandboxB.stats()
                #expect(statsB.rateLimited == 0 && statsB.refused.isEmpty, "\(statsB)")
                #expect(statsB.sustainedRequestsPerSecond <= 2.5, "\(statsB)")
                #expect(statsB.duplicates == 0)
                #expect(await sandboxA.stats().answers.isEmpty)
                // Healthy once its first cycle (answers, then the read-back sweep) has finished.
                #expect(
                    await RunningAgent.eventually {
                        await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")?.body.contains("retailer-b: ok") == true
                    })
                let health = await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")
                #expect(health?.status == 503)
                #expect(health?.body.contains("retailer-b: ok") == true, "\(health?.body ?? "")")
                #expect(
                    health?.body.contains("retailer-a: GET /fulfillment-requests: 401") == true, "\(health?.body ?? "")"
                )
                let metrics = await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")?.body ?? ""
                #expect(metrics.contains(#"source_agent_last_cycle_success{source="retailer-a"} 0"#))
                #expect(metrics.contains(#"source_agent_last_cycle_success{source="retailer-b"} 1"#))
                #expect(agent.stderr.contains("source=retailer-a"))
                let status = try await AgentBinary.run(["status", "--db", path("agent.sqlite")])
                #expect(status.stdout.contains("source       retailer-a (stock pool shared)"), "\(status.stdout)")
                #expect(status.stdout.contains("\(count) sent"))
                let json = try await AgentBinary.run(
                    ["status", "--db", path("agent.sqlite"), "--source", "retailer-b", "--format", "json"])
                #expect(json.stdout.contains(#""source":"retailer-b""#), "\(json.stdout)")
                let ambiguous = try await AgentBinary.run(["explain", "FR-70001", "--db", path("agent.sqlite")])
                #expect(ambiguous.status == 2)
                #expect(ambiguous.stderr.contains("retailer-a, retailer-b"))
                let explained = try await AgentBinary.run(
                    ["explain", "FR-70001", "--db", path("agent.sqlite"), "--source", "retailer-b"])
                #expect(explained.status == 0, "\(explained.stderr)")
                #expect(explained.stdout.contains("ACKNOWLEDGE"))
            }
        }
    }

    /// A config file for two sources (retailer-b limited to 2 requests/s), their token files,
    /// the rules, and `stock` units of SKU A imported; returns the config's path.
    static func workspace(_ directory: URL, urls: (String, String), stock: Int?) async throws -> String {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try rules.write(toFile: path("rules.yaml"), atomically: true, encoding: .utf8)
        for (file, token) in [("a.token", Harness.token), ("b.token", tokenB)] {
            FileManager.default.createFile(
                atPath: path(file), contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
        }
        let config = """
            version: 1
            db: agent.sqlite
            rules: rules.yaml
            interval: 1s
            sources:
              - name: retailer-a
                token_file: a.token
                api_url: \(urls.0)
              - name: retailer-b
                token_file: b.token
                api_url: \(urls.1)
                max_rps: 2
            """
        try config.write(toFile: path("source-agent.yaml"), atomically: true, encoding: .utf8)
        if let stock {
            try "sku,on_hand\nA,\(stock)\n".write(toFile: path("stock.csv"), atomically: true, encoding: .utf8)
            let imported = try await AgentBinary.run([
                "stock", "import", path("stock.csv"), "--db", path("agent.sqlite"),
            ])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        return path("source-agent.yaml")
    }

    @Test("the web console shows each source's holds and decides for the source the form names")
    func consolePerSource() async throws {
        let directory = try Scratch.directory("many-sources-console")
        defer { try? FileManager.default.removeItem(at: directory) }
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1)])
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: frs) { urlA, sandboxA in
            try await Harness.withSandbox(frs: frs, configure: { $0.token = Self.tokenB }) { urlB, sandboxB in
                // No stock: every FR is held, in both accounts, under the same numbers.
                let config = try await Self.workspace(directory, urls: (urlA, urlB), stock: nil)
                let agent = try AgentBinary.launch(["run", "--config", config, "--console-port", String(port)])
                defer { agent.stopInBackground() }
                let console = ConsoleTests.Console(base: "http://127.0.0.1:\(port)")
                for source in ["retailer-a", "retailer-b"] {
                    #expect(
                        await RunningAgent.eventually {
                            let page = await console.get("/holds?source=\(source)")?.body ?? ""
                            return page.contains("Hold queue: \(source) (2)")
                        }, "\(agent.stderr)")
                }
                let overview = await console.get("/?source=retailer-b")?.body ?? ""
                #expect(overview.contains("Overview: retailer-b"))
                #expect(overview.contains(#"<a href="/?source=retailer-a">retailer-a</a>"#))
                let token = try #require(await console.csrf())
                let done = await console.post(
                    "/decide",
                    [
                        ("csrf", token), ("fr", "70001"), ("source", "retailer-b"), ("action", "acknowledge"),
                        ("force", "1"), ("by", "cy"),
                    ])
                #expect(done?.status == 200, "\(done?.body ?? "")")
                #expect(await RunningAgent.eventually { await sandboxB.stats().answers == ["70001": 1] })
                #expect(await sandboxA.stats().answers.isEmpty)
                let holdsA = await console.get("/holds?source=retailer-a")?.body ?? ""
                #expect(holdsA.contains("Hold queue: retailer-a (2)"))
                let explained = await console.get("/fr?q=FR-70001&source=retailer-b")?.body ?? ""
                #expect(explained.contains("decided by cy"))
            }
        }
    }
}
