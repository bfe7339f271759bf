import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import SourceAgent
import SourceAgentCommands
import Testing

/// A real agent (the composition root `run` uses) deciding at a fixed instant: by default on
/// the in-process twins (an in-memory database, the sandbox without sockets); with `.http`
/// on a temporary SQLite file and a sandbox on loopback, for tests that run the binary or
/// reach the sandbox by URL.
enum AgentFixture {
    /// How the agent reaches the sandbox and where its database lives.
    enum Wire: Sendable {
        /// In-memory database, in-process sandbox: no file, no socket.
        case inProcess
        /// SQLite file in the test's directory, sandbox over loopback HTTP.
        case http
    }

    static let rulesWithoutGuard = rulesAnsweringEvery.replacingOccurrences(
        of: "rules:\n", with: "rules:\n" + addressHold)

    /// Holds an FR whose address is not valid, for a person.
    static let addressHold = """
          - name: bad-address
            when: not address.valid
            then: hold
            note: "address problems: {address.problems}"

        """

    /// Every FR gets an answer: acknowledged, split or cancelled, never held.
    static let rulesAnsweringEvery = """
        version: 1
        warehouse: { timezone: America/Chicago, cutoff: "14:00", country: US }
        stock: { safety_stock: 0, locations: [dallas, reno] }
        rules:
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
        /// The sandbox's base URL (`.http`), or the sandbox itself (`.inProcess`).
        let reach: Reach
        enum Reach: Sendable {
            case url(String)
            case inProcess(InProcessSandbox)
        }
        /// The agent's clock: starts at the fixture's `now`, moved by the test.
        let clock: TestClock
        /// The in-memory store an in-process agent runs on (nil: the SQLite file).
        var store: OpenedStore? = nil

        var database: any SourceStore { agent.database }

        /// The sandbox's base URL: only a `.http` fixture has one.
        var url: String {
            guard case .url(let url) = reach else {
                Issue.record("this test reaches the sandbox by URL: give withAgent wire: .http")
                return "http://127.0.0.1:9"
            }
            return url
        }
        var pauseFile: String { agent.configuration.settings.pauseFile }

        /// Calls the sandbox's control plane (`/_sandbox/<path>`), over HTTP or in process.
        func control(_ method: String, _ path: String, json: Data? = nil) async -> (status: Int, body: String)? {
            switch reach {
            case .url(let url):
                return await HTTPProbe.post(url + "/_sandbox/" + path, json: json ?? Data(), method: method)
                    .map { ($0.status, $0.body) }
            case .inProcess(let sandbox):
                return await sandbox.control(method, path, body: json ?? Data())
            }
        }

        /// A new agent on the same database and sandbox, as after a restart.
        func restartedAgent(clock: @escaping @Sendable () -> Date) async throws -> Agent {
            var quiet = Logger(label: "restarted")
            quiet.logLevel = .critical
            return switch reach {
            case .url:
                try await AgentComposition.makeAgent(configuration: agent.configuration, logger: quiet, clock: clock)
            case .inProcess(let sandbox):
                try await AgentComposition.makeAgent(
                    configuration: agent.configuration, logger: quiet, clock: clock, store: store,
                    transport: sandbox.transport)
            }
        }

        /// A client of the sandbox, as the agent's own is wired.
        func client() -> FlxpointClient {
            switch reach {
            case .url(let url): return Harness.client(url)
            case .inProcess(let sandbox): return Harness.client(sandbox, baseDelay: .milliseconds(5))
            }
        }

        /// Changes the sandbox's fault knobs through its control plane (over HTTP, as a person
        /// would with curl, for a `.http` fixture).
        func faults(_ json: String) async {
            switch reach {
            case .url(let url):
                let reply = await HTTPProbe.post(url + "/_sandbox/faults", json: Data(json.utf8), method: "PUT")
                #expect(reply?.status == 200, "\(reply?.body ?? "no answer")")
            case .inProcess(let sandbox):
                let reply = await sandbox.control("PUT", "faults", body: Data(json.utf8))
                #expect(reply.status == 200, "\(reply.body)")
            }
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
        wire: Wire = .inProcess, frs: [FulfillmentRequest], malformed: [Int: JSONValue] = [:], stock: [StockLevel],
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
        /// Wires the agent to a sandbox reached by `url` or `transport` and runs `body`.
        @Sendable func run(
            _ state: SandboxState, _ reach: Context.Reach, store: OpenedStore?,
            transport: (any FlxpointTransport)?
        ) async throws -> T {
            let databasePath = directory.appendingPathComponent("agent.sqlite").path
            var agentSettings = AgentSettings(
                rulesPath: directory.appendingPathComponent("rules.yaml").path, interval: .seconds(1),
                pauseFile: AgentSettings.pauseFile(besideDatabase: databasePath))
            settings(&agentSettings)
            let url = if case .url(let url) = reach { url } else { "http://127.0.0.1:9" }
            let configuration = AgentConfiguration(
                databasePath: databasePath,
                settings: agentSettings,
                client: FlxpointClientConfiguration(
                    baseURL: url, token: FlxpointToken(Harness.token), requestsPerSecond: requestsPerSecond,
                    retry: RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(5))),
                alertWebhook: alertWebhook)
            let clock = TestClock(now)
            let agent = try await AgentComposition.makeAgent(
                configuration: configuration, logger: quiet, clock: { clock.now }, store: store, transport: transport)
            try await agent.database.replaceStock(stock, source: "test", at: now)
            let context = Context(
                agent: agent, sandbox: state, directory: directory, reach: reach, clock: clock, store: store)
            let result = try await body(context)
            #expect(try await agent.database.integrityProblems() == [])
            return result
        }
        switch wire {
        case .http:
            return try await Harness.withSandbox(frs: frs, malformed: malformed, configure: configure) { url, state in
                try await run(state, .url(url), store: nil, transport: nil)
            }
        case .inProcess:
            let sandbox = InProcessSandbox(
                configuration: Harness.sandboxConfiguration(configure),
                state: SandboxState(frs: frs, malformed: malformed))
            return try await run(
                sandbox.state, .inProcess(sandbox), store: .file(try AgentDatabase.inMemory()),
                transport: sandbox.transport)
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
