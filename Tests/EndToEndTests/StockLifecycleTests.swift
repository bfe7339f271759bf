import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// Stock that lasts past day one: shipments end reservations, restocks count again, and FRs
/// that shipped or were voided outside the agent stop holding units.
@Suite("Stock over days: tracking import, restock, read-back")
struct StockLifecycleTests {
    static func trackingCSV(_ rows: [(fr: Int, sku: String, quantity: Int, tracking: String)], shippedAt: Date)
        -> String
    {
        "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n"
            + rows.map {
                "\($0.fr),\($0.sku),\($0.quantity),\($0.tracking),UPS,Ground,\(Timestamp.utcString(shippedAt))\n"
            }
            .joined()
    }

    @Test("two days: ten FRs ship, the restock says 10 again, and the next ten are all acknowledged")
    func twoDays() async throws {
        let dayOne = AgentFixture.simpleFRs((0..<10).map { _ in ("SKU-A", 1) })
        try await AgentFixture.withAgent(frs: dayOne, stock: AgentFixture.stock(["SKU-A": 10])) { context in
            try await context.runUntilQuiet()
            let tracking = Self.trackingCSV(
                dayOne.map { ($0.id, "SKU-A", 1, "1Z\($0.id)") }, shippedAt: Harness.now.addingTimeInterval(8 * 3600))
            let shipped = try await context.agent.tracking.importFile(tracking, path: "day1.csv")
            #expect(shipped.sent == 10 && shipped.rejected == 0, "\(shipped.problems)")
            #expect(try await context.database.reservations(state: .held).isEmpty)

            // Day two: the warehouse restocked and counted 10 in the morning; ten new orders arrive.
            context.clock.advance(by: 86_400)
            try await context.database.replaceStock(
                AgentFixture.stock(["SKU-A": 10]), source: "day2.csv", pool: nil, at: context.clock.now,
                asOf: context.clock.now.addingTimeInterval(-3600), allowShrink: false)
            let dayTwo = AgentFixture.simpleFRs((0..<10).map { _ in ("SKU-A", 1) }, firstId: 80_001)
            let added = await context.control("POST", "fulfillment-requests", json: try JSONEncoder().encode(dayTwo))
            #expect(added?.status == 201, "\(added?.body ?? "no answer")")
            try await context.runUntilQuiet()

            let decisions = try await context.lastDecisions(dayOne + dayTwo)
            #expect(decisions.allSatisfy { $0?.decision == .acknowledge }, "\(decisions.map { $0?.reason })")
            for fr in dayOne + dayTwo {
                #expect(await context.sandbox.fulfillmentRequest(id: fr.id)?.acknowledgedAt != nil)
            }
            let stats = await context.sandbox.stats()
            #expect(stats.shipments == 10 && stats.shippedUnits.values.allSatisfy { $0 == 1 })
            #expect(try await context.database.loadLedger().promisable(sku: "SKU-A", safetyStock: 0) == 0)
        }
    }

    @Test("the sample tracking file creates two shipments in the real API's shape and names lines 5 and 6; again, none")
    func sampleFile() async throws {
        let directory = try Scratch.directory("tracking")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let frs = try FRListDecoder.decode(
            try Data(contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("examples/frs-sample.json"))
        ).map { try $0.get() }
        let stock = directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand,location\nSKU-RED,20,dallas\nSKU-BLUE,3,dallas\nSKU-GREEN,10,reno\nFRT-100,4,reno\n".write(
            toFile: stock, atomically: true, encoding: .utf8)
        #expect(try await AgentBinary.run(["stock", "import", stock, "--db", db]).status == 0)
        try await Harness.withSandbox(frs: frs) {
            $0.dropRate = 0.2
        } _: { url, sandbox in
            // The agent's clock at the sample FRs' morning: their ship-by dates are fixed.
            let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token].merging(AgentBinary.clock(at: AgentBinary.sampleNow)) {
                $1
            }
            let connection = ["--db", db, "--api-url", url, "--max-rps", "0"]
            let run = try await AgentBinary.run(
                ["run", "--once", "--rules", "rules.example.yaml"] + connection, environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let first = try await AgentBinary.run(
                ["tracking", "import", "examples/tracking-sample.csv"] + connection, environment: env)
            #expect(first.status == 1)
            #expect(first.stdout == "2 shipments sent, 0 already sent, 2 rejected\n")
            #expect(
                first.stderr.contains(
                    "examples/tracking-sample.csv:5: unknown FR 'FR-9999': this agent has no record of it"))
            #expect(
                first.stderr.contains(
                    "examples/tracking-sample.csv:6: quantity must be a whole number above 0, got 'one'"))
            var stats = await sandbox.stats()
            #expect(stats.shipments == 2 && stats.shippedUnits == ["1001": 2, "1005": 3])
            // Items go by SKU plus the order item the FR gave, never by fulfillmentRequestItemId.
            let split = await sandbox.shipments(frId: 1005)
            #expect(split.count == 1 && split[0].trackingNumber == "9400111899223817755045")
            #expect(split[0].shipmentItems.map(\.orderItemId) == [700005, 700006])
            let bodies = try await AgentDatabase.open(path: db).shipments().map(\.bodyJSON)
            #expect(bodies.count == 2 && bodies.allSatisfy { !$0.contains("fulfillmentRequestItemId") })
            #expect(bodies.allSatisfy { $0.contains("\"orderItemId\"") && $0.contains("\"sku\"") })
            let posts = await sandbox.requestLog().filter { $0.method == "POST" && $0.path == "/shipments" }.count

            let again = try await AgentBinary.run(
                ["tracking", "import", "examples/tracking-sample.csv"] + connection, environment: env)
            #expect(again.stdout == "0 shipments sent, 2 already sent, 2 rejected\n")
            stats = await sandbox.stats()
            #expect(stats.shipments == 2)
            #expect(await sandbox.requestLog().filter { $0.method == "POST" && $0.path == "/shipments" }.count == posts)

            let status = try await AgentBinary.run(["status", "--db", db])
            // FR-1008 (1), FR-1011 (2) and the rest of FR-1005 (2 × SKU-GREEN) wait to ship.
            #expect(status.stdout.contains("shipping     5 units held for 3 acknowledged FRs awaiting shipment"))
        }
    }

    @Test("every rule of a shipment is checked before anything is sent; the good shipments go on")
    func validation() async throws {
        let rules = """
            version: 1
            warehouse: { timezone: America/Chicago }
            rules:
              - name: complete
                when: stock.covers_all
                then: acknowledge
            default: { then: cancel, reason: out_of_stock }
            """
        let frs = AgentFixture.simpleFRs([("A", 2), ("GONE", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 5]), rules: rules) { context in
            try await context.runUntilQuiet()
            let csv = """
                FR,SKU,Quantity,Tracking_Number,Carrier,Method,Shipped_At,Warehouse_Note
                FR-70001,A,3,T1,UPS,Ground,2026-11-27T20:00:00Z,too many
                70001,Z,1,T2,UPS,Ground,2026-11-27T20:00:00Z,not on the FR
                FR-70002,GONE,1,T3,UPS,Ground,2026-11-27T20:00:00Z,cancelled FR
                70001,A,1,,UPS,Ground,2026-11-27T20:00:00Z,no tracking
                70001,A,1,T4,UPS,Ground,tomorrow,bad date
                70001,A,1,T5,UPS,Ground,2026-11-27T20:00:00Z,good line of a bad shipment
                70001,A,x,T5,UPS,Ground,2026-11-27T20:00:00Z,bad line
                70001,A,2,T6,UPS,Ground,2026-11-27T20:00:00Z,fine
                """
            let report = try await context.agent.tracking.importFile(csv, path: "t.csv")
            #expect(report.sent == 1 && report.rejected == 6, "\(report.problems)")
            let expected = [
                "t.csv:2: 3 × A is more than the 2 acknowledged and not yet shipped on FR-70001",
                "t.csv:3: Z is not on FR-70001",
                "t.csv:4: FR-70002 has no acknowledged units to ship",
                "t.csv:5: tracking_number is empty",
                "t.csv:6: shipped_at: 'tomorrow'",
                "t.csv:8: quantity must be a whole number above 0, got 'x'",
                "t.csv:7,8: shipment T5 for 70001 not sent (all its lines go together)",
            ]
            for line in expected {
                #expect(report.problems.contains { $0.hasPrefix(line) }, "missing: \(line)\n\(report.problems)")
            }
            let shipments = await context.sandbox.shipments(frId: 70_001)
            #expect(shipments.map(\.trackingNumber) == ["T6"])
            #expect(try await context.database.heldUnits(frId: 70_001).isEmpty)
        }
    }

    @Test("a tracking import killed halfway through 400 rows and run again creates every shipment exactly once")
    func killedHalfway() async throws {
        let frs = (0..<100).map { n in
            FulfillmentRequest(
                id: 90_001 + n, number: "FR-\(90_001 + n)",
                generatedAt: Harness.now.addingTimeInterval(Double(n - 1000)),
                status: "Processing", carrier: "UPS",
                shippingAddress: ShippingAddress(
                    name: "Ada Lovelace", addressLine1: "12 Main St", city: "Austin", stateCode: "TX",
                    countryCode: "US", postal: "78701"),
                items: [
                    FulfillmentRequestItem(id: (90_001 + n) * 10, sku: "A", quantity: 2, orderItemId: 5_000_000 + n),
                    FulfillmentRequestItem(id: (90_001 + n) * 10 + 1, sku: "B", quantity: 2),
                ])
        }
        try await AgentFixture.withAgent(wire: .http, frs: frs, stock: AgentFixture.stock(["A": 1000, "B": 1000])) {
            $0.dropRate = 0.05
        } _: { context in
            try await context.runUntilQuiet()
            #expect(try await context.database.outbox().count == 100)
            var rows: [(fr: Int, sku: String, quantity: Int, tracking: String)] = []
            for fr in frs {
                for parcel in ["a", "b"] {
                    for sku in ["A", "B"] { rows.append((fr.id, sku, 1, "1Z\(fr.id)\(parcel)")) }
                }
            }
            #expect(rows.count == 400)
            let file = context.directory.appendingPathComponent("tracking.csv").path
            try Self.trackingCSV(rows, shippedAt: Harness.now).write(toFile: file, atomically: true, encoding: .utf8)
            let arguments = [
                "tracking", "import", file, "--db", context.agent.configuration.databasePath, "--api-url", context.url,
                "--max-rps", "0",
            ]
            var env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]
            for point in ["after-shipment-send:60", "before-shipment-send:50", "after-shipment-send:30"] {
                env["SOURCE_AGENT_CRASH_AT"] = point
                let killed = try await AgentBinary.run(arguments, environment: env)
                #expect(killed.status == SIGKILL, "\(point): \(killed.stderr.suffix(300))")
            }
            env["SOURCE_AGENT_CRASH_AT"] = nil
            let finished = try await AgentBinary.run(arguments, environment: env)
            #expect(finished.status == 0, "\(finished.stderr.suffix(500))")
            #expect(finished.stdout.contains("0 rejected"))

            let stats = await context.sandbox.stats()
            #expect(stats.shipments == 200 && stats.dropped > 0)
            #expect(stats.shippedUnits.count == 100 && stats.shippedUnits.values.allSatisfy { $0 == 4 })
            for fr in frs.prefix(50) {
                #expect(
                    await context.sandbox.shipments(frId: fr.id).map(\.trackingNumber).sorted() == [
                        "1Z\(fr.id)a", "1Z\(fr.id)b",
                    ])
            }
            // No create was refused as a duplicate: a send that may have landed is looked up, not repeated.
            let refused = await context.sandbox.requestLog().filter { $0.path == "/shipments" && $0.status == 400 }
            #expect(refused.isEmpty)
            #expect(try await context.database.shipments().allSatisfy { $0.state == .done })
            #expect(try await context.database.reservations(state: .held).isEmpty)
            #expect(try await context.database.reservations(state: .shipped).reduce(0) { $0 + $1.quantity } == 400)
        }
    }
}
