import AgentStore
import ArgumentParser
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// `source-agent demo`: the whole loop against an in-process sandbox, no account needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the real agent against a local Flxpoint sandbox with seeded FRs and stock, and show what it did."
    )

    @Option(help: "How many FRs the sandbox starts with.")
    var frs = 50

    @Option(help: ArgumentHelp("Folder for the demo database and stock file (emptied first).", valueName: "dir"))
    var dir = "source-agent-demo"

    @OptionGroup var rules: RulesOption

    @Flag(help: "Show the agent's log lines.")
    var verbose = false

    func validate() throws {
        if frs < 1 || frs > 5000 { throw ValidationError("--frs must be from 1 to 5000") }
    }

    func run() async throws {
        if let given = rules.given { _ = try InputFiles.text(given, what: "rule file") }
        try? FileManager.default.removeItem(atPath: dir)
        // The demo's files hold (made-up) customer data, kept as a real install keeps it.
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let databasePath = (dir as NSString).appendingPathComponent("demo.sqlite")
        let stockPath = (dir as NSString).appendingPathComponent("stock.csv")
        let trackingPath = (dir as NSString).appendingPathComponent("tracking.csv")
        let kitsPath = (dir as NSString).appendingPathComponent("kits.csv")
        // Without --rules the demo uses the example policy compiled into the binary, written
        // beside the database so `explain` and `rules check` can be pointed at it.
        let embedded = rules.given == nil
        let rulesPath = rules.given ?? (dir as NSString).appendingPathComponent(ExampleRules.fileName)
        if embedded { try PrivateFile.write(ExampleRules.text, to: rulesPath) }

        let now = AgentClock.now()
        var seed = SandboxSeed.generate(count: frs, seed: 2029, now: now, malformedRate: 0.05)
        try PrivateFile.write(seed.stockCSV, to: stockPath)
        // A gift set the warehouse builds from two catalogue items, and three FRs that order it.
        try PrivateFile.write(Self.kitsCSV, to: kitsPath)
        seed.frs += Self.kitFRs(after: seed.frs, now: now)
        let token = "demo-" + UUID().uuidString.lowercased()
        var logger = Logger(label: "source-agent")
        logger.logLevel = verbose ? .info : .critical
        let quiet = logger
        let sandbox = SandboxServer(
            configuration: SandboxConfiguration(token: token, rateLimit: 10, failRate: 0.05, randomSeed: 9),
            state: SandboxState(
                frs: seed.frs, malformed: seed.malformed,
                variants: (seed.stock.map(\.sku) + [Self.kitSKU]).enumerated().map {
                    InventoryVariant(inventoryVariantId: 880_000 + $0.offset, sku: $0.element, quantity: 0)
                }), logger: quiet)
        let frCount = frs
        let dirName = dir
        try await sandbox.withRunning { url in
            Terminal.out(
                "Started a Flxpoint sandbox at \(url) with \(frCount) FRs (about 1 in 20 answers fails with a 5xx).")
            let configuration = AgentConfiguration(
                databasePath: databasePath,
                settings: AgentSettings(
                    rulesPath: rulesPath, interval: .seconds(1),
                    pauseFile: AgentSettings.pauseFile(besideDatabase: databasePath)),
                client: FlxpointClientConfiguration(
                    baseURL: url, token: FlxpointToken(token), requestsPerSecond: 10,
                    retry: RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100))))
            let agent = try await AgentComposition.makeAgent(configuration: configuration, logger: quiet)
            let levels = try InputFiles.stock(stockPath)
            try await agent.database.replaceStock(levels, source: stockPath, at: now)
            let kits = try InputFiles.kits(kitsPath)
            try await agent.database.replaceKits(kits, source: kitsPath, pool: nil, at: now)
            Terminal.out("Imported stock: \(levels.count) SKUs from \(stockPath).")
            let recipes = kits.map { kit in
                "\(kit.sku) (" + kit.components.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", ") + ")"
            }
            Terminal.out("Imported kits: \(recipes.joined(separator: "; ")) from \(kitsPath).\n")
            for cycle in 1...2 {
                let report = try await agent.cycle.run()
                Terminal.out(
                    "cycle \(cycle): fetched \(report.fetched) FRs, decided \(report.decided), sent \(report.send.sent) answers"
                        + (report.quarantined > 0 ? ", quarantined \(report.quarantined) malformed" : ""))
            }
            try await Self.writeTracking(for: try agent.database.heldUnitsByFR(), to: trackingPath, at: now)
            let shipped = try await agent.tracking.importFile(
                try InputFiles.text(trackingPath, what: "tracking file"), path: trackingPath)
            let safety = await agent.rules.current.stockPolicy.safetyStock
            let plan = try await agent.inventory.plan(safetyStock: safety, includeCost: false, all: true)
            let pushed = try await agent.inventory.push(plan, includeCost: false)
            Terminal.out(
                "tracking import of \(trackingPath): \(shipped.sent) shipments created; "
                    + "inventory push: \(pushed.pushed) SKUs pushed in \(pushed.requests) request"
                    + (pushed.requests == 1 ? "" : "s"))
            try await Self.summarize(
                agent: agent, sandbox: sandbox.state, directory: dirName, databasePath: databasePath,
                rulesPath: rulesPath)
        }
    }

    /// The demo's kit: sold as one SKU, built from two the catalogue stocks.
    static let kitSKU = "GIFT-SET"
    static let kitsCSV = "kit_sku,component_sku,quantity\n\(kitSKU),SKU-1023,1\n\(kitSKU),SKU-1009,2\n"

    /// Three FRs for the kit, after the seeded ones: each a copy of a seeded FR's shape with one
    /// kit line, so they are decided, answered and shipped like the rest.
    static func kitFRs(after seeded: [FulfillmentRequest], now: Date) -> [FulfillmentRequest] {
        guard let model = seeded.first(where: { $0.shippingAddress?.addressLine1?.contains("PO Box") == false }) else {
            return []
        }
        let first = (seeded.map(\.id).max() ?? 50_000) + 1
        return (0..<3).map { n in
            var fr = model
            fr.id = first + n
            fr.number = "FR-\(first + n)"
            fr.generatedAt = now.addingTimeInterval(Double(-3_600 * (3 - n)))
            fr.sentAt = fr.generatedAt
            fr.items = [
                FulfillmentRequestItem(
                    id: fr.id * 10, sku: kitSKU, title: "Gift set", quantity: n + 1, acknowledgedQuantity: 0,
                    shippedQuantity: 0, voidedQuantity: 0, orderItemId: 700_000 + fr.id * 10)
            ]
            return fr
        }
    }

    /// A tracking file as a warehouse system would write it: one parcel per acknowledged FR.
    static func writeTracking(for held: [Int: [String: Int]], to path: String, at now: Date) throws {
        var csv = "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n"
        for (frId, units) in held.sorted(by: { $0.key < $1.key }) {
            for (sku, quantity) in units.sorted(by: { $0.key < $1.key }) {
                csv += "\(frId),\(sku),\(quantity),1ZDEMO\(frId),UPS,Ground,\(Timestamp.utcString(now))\n"
            }
        }
        try PrivateFile.write(csv, to: path)
    }

    static func summarize(
        agent: Agent, sandbox: SandboxState, directory: String, databasePath: String, rulesPath: String
    ) async throws {
        let status = try await agent.database.status()
        let stats = await sandbox.stats()
        var out = "\nDecisions: "
        out += DecisionKind.allCases.map { "\(status.decisionsByKind[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(
            separator: ", ")
        out += "\nFlxpoint (the sandbox) saw \(stats.answers.count) FRs answered, "
        out +=
            "\(stats.duplicates) twice, \(stats.contradictions) contradicted, after \(stats.failuresInjected) injected 5xx errors;"
        out += " it holds \(stats.shipments) shipments and \(stats.inventoryUpdates) inventory updates."
        Terminal.out(out)
        Terminal.out("\nThree decisions, explained:\n")
        var example = "<FR number>"
        let latest = try await agent.database.latestDecisions(for: agent.database.decidedFRIds()).values
        for kind in [DecisionKind.split, .cancel, .hold] {
            guard let row = latest.filter({ $0.decision == kind }).min(by: { $0.frId < $1.frId })
            else { continue }
            let decision = try await agent.database.fullDecision(row)
            example = decision.displayName
            let matched = decision.trace.rules.last
            Terminal.out("\(decision.displayName) → \(kind.rawValue.uppercased()) by rule '\(decision.rule)'")
            if let note = decision.note { Terminal.out("    note: \(note)") }
            for check in matched?.checks ?? [] { Terminal.out("    because \(check.description)") }
            Terminal.out("    \(DecisionText.detail(decision))\n")
        }
        Terminal.out(
            """

            The decision log is \(databasePath) (SQLite). Try next:
              swift run source-agent status --db \(databasePath)
              swift run source-agent explain \(example) --db \(databasePath) --rules \(rulesPath)
              swift run source-agent holds --db \(databasePath) --rules \(rulesPath)   # what waits for a person
              swift run source-agent dry-run --input examples/frs-sample.json --stock examples/stock-sample.csv --rules \(rulesPath) --explain
              swift run source-agent sandbox     # a sandbox to point 'run --api-url' at
            Remove \(directory)/ when done.
            """)
    }
}
