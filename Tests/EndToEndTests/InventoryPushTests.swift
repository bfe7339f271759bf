import AgentStore
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

@Suite("Inventory push and read-back of old acknowledgements")
struct InventoryPushTests {
    @Test("5,000 SKUs go in exactly 100 PUTs with the promisable figures; a second push sends none")
    func push() async throws {
        let skus = (0..<5000).map { String(format: "SKU-%05d", $0) }
        var stock = skus.enumerated().map { StockLevel(sku: $0.element, location: "dallas", onHand: $0.offset % 37) }
        stock.append(StockLevel(sku: "NOT-IN-FLXPOINT", location: "dallas", onHand: 3))
        // Two acknowledged FRs hold units the push must not offer again.
        let frs = AgentFixture.simpleFRs([("SKU-00036", 5), ("SKU-00073", 2)])
        try await AgentFixture.withAgent(frs: frs, stock: stock) { context in
            let variants = try JSONEncoder().encode(skus.map { ["sku": $0] })
            #expect(await context.control("POST", "inventory/variants", json: variants)?.status == 201)
            try await context.runUntilQuiet()

            let push = context.agent.inventory
            let plan = try await push.plan(safetyStock: 1, includeCost: false, all: false)
            #expect(plan.entries.count == 5000 && plan.unknownSKUs == ["NOT-IN-FLXPOINT"])
            let report = try await push.push(plan, includeCost: false)
            #expect(report.pushed == 5000 && report.requests == 100)
            let puts = await context.sandbox.requestLog().filter { $0.method == "PUT" }
            #expect(puts.count == 100 && puts.allSatisfy { $0.status == 200 })
            #expect(await context.sandbox.stats().inventoryUpdates == 100)

            let ledger = try await context.database.loadLedger()
            let held = await context.sandbox.allVariants()
            #expect(held.count == 5000)
            for variant in held {
                #expect(variant.quantity == ledger.promisable(sku: variant.sku, safetyStock: 1), "\(variant.sku)")
            }
            #expect(await context.sandbox.variant(sku: "SKU-00036")?.quantity == 36 - 5 - 1)

            let again = try await push.plan(safetyStock: 1, includeCost: false, all: false)
            #expect(again.entries.isEmpty && again.unchanged == 5000)
            #expect(try await push.push(again, includeCost: false).requests == 0)
            #expect(await context.sandbox.stats().inventoryUpdates == 100)
            // `--all` sends everything again.
            #expect(try await push.plan(safetyStock: 1, includeCost: false, all: true).entries.count == 5000)
        }
    }

    @Test("a push window adds the unpromised units on their way that land within it, and only those")
    func inboundWindow() async throws {
        try await AgentFixture.withAgent(frs: [], stock: AgentFixture.stock(["A": 4])) { context in
            let now = context.clock.now
            try await context.database.replaceInbound(
                [
                    InboundStock(
                        sku: "A", location: "dallas", quantity: 10, expectedAt: now.addingTimeInterval(2 * 86_400)),
                    InboundStock(
                        sku: "A", location: "dallas", quantity: 50, expectedAt: now.addingTimeInterval(9 * 86_400)),
                ], source: "po.csv", pool: nil, at: now)
            let variants = try JSONEncoder().encode([["sku": "A"]])
            #expect(await context.control("POST", "inventory/variants", json: variants)?.status == 201)
            let push = context.agent.inventory
            let plain = try await push.plan(safetyStock: 0, includeCost: false, all: true)
            #expect(plain.entries.first { $0.sku == "A" }?.quantity == 4, "off by default: the shelf only")
            let week = try await push.plan(safetyStock: 0, includeCost: false, all: true, inboundWithin: 7 * 86_400)
            #expect(week.entries.first { $0.sku == "A" }?.quantity == 14)
        }
    }

    @Test("inventory push --dry-run prints what would be sent and sends nothing")
    func dryRun() async throws {
        let stock = [
            StockLevel(sku: "A", location: "dallas", onHand: 7, cost: 2.5),
            StockLevel(sku: "B", location: "dallas", onHand: 1),
        ]
        try await AgentFixture.withAgent(wire: .http, frs: AgentFixture.simpleFRs([("A", 2)]), stock: stock) {
            context in
            try await context.runUntilQuiet()
            let output = try await AgentBinary.run(
                [
                    "inventory", "push", "--dry-run", "--cost", "--db", context.agent.configuration.databasePath,
                    "--rules", context.agent.configuration.settings.rulesPath, "--api-url", context.url,
                    "--max-rps", "0",
                ], environment: ["FLXPOINT_SOURCE_TOKEN": Harness.token])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("\nA "))
            #expect(output.stdout.contains(" 5 ") && output.stdout.contains(" 2.50"))
            #expect(output.stderr.contains("B: Flxpoint has no inventory variant for it; not pushed"))
            #expect(output.stdout.contains("would push 1 SKUs in 1 requests; 0 unchanged, 1 unknown to Flxpoint"))
            #expect(await context.sandbox.stats().inventoryUpdates == 0)
        }
    }

    @Test("FRs acknowledged two days ago are read back a few a cycle: shipped in Flxpoint or voided, their units end")
    func readBack() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 2), ("A", 1)])
        let settings: @Sendable (inout AgentSettings) -> Void = { $0.readBackPerCycle = 2 }
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10]), settings: settings) {
            context in
            try await context.runUntilQuiet()
            // The warehouse ships FR 70001 in Flxpoint's own screens; the channel cancels FR 70002.
            let client = context.client()
            _ = try await client.createShipment(
                ShipmentCreateRequest(
                    fulfillmentRequestId: 70_001,
                    shipment: ShipmentBody(
                        trackingNumber: "BYHAND", carrier: "UPS", method: nil, shippedAt: nil,
                        shipmentItems: [ShipmentItem(sku: "A", quantity: 1)])))
            #expect(await context.control("POST", "fulfillment-requests/70002/void")?.status == 200)
            func reads() async -> Int {
                await context.sandbox.requestLog().filter {
                    $0.method == "GET" && $0.path.hasPrefix("/fulfillment-requests/7")
                }.count
            }
            let before = await reads()
            try await context.agent.cycle.run()
            #expect(await reads() == before)  // answered just now: not read back yet
            #expect(try await context.database.heldUnits(frId: 70_001) == ["A": 1])

            context.clock.advance(by: 3 * 86_400)
            let first = try await context.agent.cycle.run()
            #expect(await reads() == before + 2)
            #expect(first.readBack.checked == 2 && first.readBack.shippedUnits == 1 && first.readBack.releasedFRs == 1)
            #expect(try await context.database.heldUnits(frId: 70_001).isEmpty)
            #expect(try await context.database.reservations(state: .released).map(\.frId) == [70_002])
            let second = try await context.agent.cycle.run()
            #expect(second.readBack.checked == 2 && second.readBack.shippedUnits == 0)
            #expect(try await context.agent.cycle.run().readBack.checked == 0)  // all checked recently
            #expect(await reads() == before + 4)
            // 10 on hand − 1 shipped since the snapshot − 3 still held for 70003 and 70004.
            #expect(try await context.database.loadLedger().promisable(sku: "A", safetyStock: 0) == 6)
            let awaiting = try await context.database.awaitingShipment()
            #expect(awaiting.units == 3 && awaiting.frs == 2 && awaiting.oldestFRId == 70_003)
        }
    }
}
