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

/// A real agent (the composition root `run` uses) on a temporary SQLite file, talking to
/// a real sandbox over loopback, deciding at a fixed instant.
enum AgentFixture {
    static let rulesWithoutGuard = """
        version: 1
        warehouse: { timezone: America/Chicago, cutoff: "14:00", country: US }
        stock: { safety_stock: 0, locations: [dallas, reno] }
        rules:
          - name: bad-address
            when: not address.valid
            then: hold
            note: "address problems: {address.problems}"
          - name: complete
            when: stock.covers_all
            then: acknowledge
          - name: partial
            when: stock.covers_any
            then: split
        default:
          then: cancel
          reason: out_of_stock
        """

    struct Context: Sendable {
        let agent: Agent
        let sandbox: SandboxState
        let directory: URL
        let url: String
        /// The agent's clock: starts at the fixture's `now`, moved by the test.
        let clock: TestClock

        var database: any SourceStore { agent.database }
        var pauseFile: String { agent.configuration.settings.pauseFile }

        /// Changes the sandbox's fault knobs over HTTP, as a person would with curl.
        func faults(_ json: String) async {
            let reply = await HTTPProbe.post(url + "/_sandbox/faults", json: Data(json.utf8), method: "PUT")
            #expect(reply?.status == 200, "\(reply?.body ?? "no answer")")
        }

        /// Writes a decision and its answer as the cycle would, for FRs the test decides itself.
        func recordDecision(_ fr: FulfillmentRequest, now: Date = Harness.now) async throws -> FRDecision {
            try await database.recordSeen(
                [(fr, String(decoding: try JSONEncoder().encode(fr), as: UTF8.self))], at: now)
            var ledger = try await database.loadLedger()
            let decision = Decider.decide(fr, ruleSet: await agent.rules.current, ledger: &ledger, now: now)
            let adjust = AdjustRequest(
                items: decision.lines.map {
                    .init(
                        id: $0.itemId, sku: $0.sku, acknowledgedQuantity: $0.acknowledged,
                        cancelledQuantity: $0.cancelled)
                }, killOrFillType: (decision.remainder ?? .fill).rawValue)
            let body = String(decoding: try JSONEncoder().encode(adjust), as: UTF8.self)
            try await database.recordDecision(
                decision, cycleId: nil, outbox: OutboxDraft(kind: .adjust, bodyJSON: body),
                input: DecisionInput(frFingerprint: fr.answerFingerprint), at: now)
            return decision
        }

        /// The newest decision for each FR, in the order given.
        func lastDecisions(_ frs: [FulfillmentRequest]) async throws -> [DecisionRecord?] {
            var out: [DecisionRecord?] = []
            for fr in frs { out.append(try await database.decisions(forFR: String(fr.id)).last) }
            return out
        }

        /// Runs cycles until nothing is left to decide or send.
        @discardableResult
        func runUntilQuiet(maxCycles: Int = 10) async throws -> [CycleReport] {
            var reports: [CycleReport] = []
            for _ in 0..<maxCycles {
                let report = try await agent.cycle.run()
                reports.append(report)
                let pending = try await database.pendingOutboxCount()
                if report.decided == 0 && report.send.sent == 0 && pending == 0 { break }
            }
            return reports
        }
    }

    static func withAgent<T: Sendable>(
        frs: [FulfillmentRequest], malformed: [Int: JSONValue] = [:], stock: [StockLevel],
        rules: String = rulesWithoutGuard,
        now: Date = Harness.now, configure: (inout SandboxConfiguration) -> Void = { _ in },
        settings: @Sendable (inout AgentSettings) -> Void = { _ in }, alertWebhook: String? = nil,
        requestsPerSecond: Double = 100, _ body: @Sendable (Context) async throws -> T
    ) async throws -> T {
        let directory = try Scratch.directory("agent-e2e")
        defer { try? FileManager.default.removeItem(at: directory) }
        try rules.write(to: directory.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let quiet = logger
        return try await Harness.withSandbox(frs: frs, malformed: malformed, configure: configure) { url, state in
            let databasePath = directory.appendingPathComponent("agent.sqlite").path
            var agentSettings = AgentSettings(
                rulesPath: directory.appendingPathComponent("rules.yaml").path, interval: .seconds(1),
                pauseFile: AgentSettings.pauseFile(besideDatabase: databasePath))
            settings(&agentSettings)
            let configuration = AgentConfiguration(
                databasePath: databasePath,
                settings: agentSettings,
                client: FlxpointClientConfiguration(
                    baseURL: url, token: FlxpointToken(Harness.token), requestsPerSecond: requestsPerSecond,
                    retry: RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(5))),
                alertWebhook: alertWebhook)
            let clock = TestClock(now)
            let agent = try await AgentComposition.makeAgent(
                configuration: configuration, logger: quiet, clock: { clock.now })
            try await agent.database.replaceStock(stock, source: "test", at: now)
            let context = Context(agent: agent, sandbox: state, directory: directory, url: url, clock: clock)
            let result = try await body(context)
            #expect(try await agent.database.integrityProblems() == [])
            return result
        }
    }

    static func stock(_ units: [String: Int], location: String = "dallas") -> [StockLevel] {
        units.map { StockLevel(sku: $0.key, location: location, onHand: $0.value) }
    }

    /// FRs with one line each of the given SKU and quantity, at good US addresses.
    static func simpleFRs(_ lines: [(String, Int)], firstId: Int = 70_001) -> [FulfillmentRequest] {
        lines.enumerated().map { offset, line in
            FulfillmentRequest(
                id: firstId + offset, number: "FR-\(firstId + offset)",
                generatedAt: Harness.now.addingTimeInterval(Double(offset - 10_000)), status: "Processing",
                carrier: "UPS",
                shippingAddress: ShippingAddress(
                    name: "Ada Lovelace", addressLine1: "12 Main St", city: "Austin", stateCode: "TX",
                    countryCode: "US",
                    postal: "78701"),
                items: [FulfillmentRequestItem(id: (firstId + offset) * 10, sku: line.0, quantity: line.1)])
        }
    }
}
