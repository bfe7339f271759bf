import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// Kits through the whole loop, as a warehouse runs it: the binary against the sandbox over
/// loopback HTTP.
@Suite("Kits through the whole loop")
struct KitsEndToEndTests {
    @Test("kit FRs answered once from components, shipped naming the kit or its parts, pushed as buildable kits")
    func kitLoop() async throws {
        let directory = try Scratch.directory("kits-e2e")
        defer { try? FileManager.default.removeItem(at: directory) }
        @Sendable func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let rules = try file("rules.yaml", AgentFixture.rulesAnsweringEvery)
        let stock = try file("stock.csv", "sku,on_hand,location,cost\nMUG,10,dallas,2.00\nCOASTER,9,dallas,0.50\n")
        let kits = try file("kits.csv", "kit_sku,component_sku,quantity\nGIFT,MUG,1\nGIFT,COASTER,2\n")
        #expect(try await AgentBinary.run(["stock", "import", stock, "--db", db]).status == 0)
        let imported = try await AgentBinary.run(["kits", "import", kits, "--db", db])
        #expect(imported.stdout == "imported 1 kit built from 2 component SKUs\n", "\(imported.stderr)")

        // Oldest first: 2 kits (4 coasters), a mug, 3 kits of which 2 fit (5 coasters left), 1 kit (none left).
        let frs = AgentFixture.simpleFRs([("GIFT", 2), ("MUG", 1), ("GIFT", 3), ("GIFT", 1)], firstId: 71_001)
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]
            let connection = ["--db", db, "--api-url", url, "--max-rps", "0"]
            for _ in 0..<2 {
                let run = try await AgentBinary.run(
                    ["run", "--once", "--rules", rules] + connection, environment: env)
                #expect(run.status == 0, "\(run.stderr)")
            }
            // Answered once each, from the components' stock.
            let stats = await sandbox.stats()
            #expect(stats.answers.count == 4 && stats.answers.values.allSatisfy { $0 == 1 })
            #expect(stats.duplicates == 0)
            let acknowledged = await [71_001, 71_002, 71_003, 71_004].asyncMap {
                await sandbox.fulfillmentRequest(id: $0)?.items.first?.acknowledgedQuantity ?? 0
            }
            #expect(acknowledged == [2, 1, 2, 0])
            let explain = try await AgentBinary.run(["explain", "FR-71003", "--db", db])
            #expect(explain.stdout.contains("GIFT 2/3 kits"), "\(explain.stdout)")
            #expect(explain.stdout.contains("limited by COASTER"), "\(explain.stdout)")
            let listed = try await AgentBinary.run(["kits", "list", "--db", db])
            #expect(listed.stdout.contains("GIFT  0"), "\(listed.stdout)")
            #expect(listed.stdout.contains("2 × COASTER (1 free, limits)"), "\(listed.stdout)")

            // Shipped: FR-71001 by the kit's name, FR-71003 by its components, FR-71002 as itself.
            let tracking = try file(
                "tracking.csv",
                """
                fr,tracking_number,carrier,sku,quantity
                FR-71001,1Z001,UPS,GIFT,2
                FR-71003,1Z003,UPS,MUG,2
                FR-71003,1Z003,UPS,COASTER,4
                FR-71002,1Z002,UPS,MUG,1

                """)
            let shipped = try await AgentBinary.run(["tracking", "import", tracking] + connection, environment: env)
            #expect(shipped.stdout == "3 shipments sent, 0 already sent, 0 rejected\n", "\(shipped.stderr)")
            for (fr, units) in [(71_001, 2), (71_003, 2)] {
                let items = await sandbox.shipments(frId: fr).flatMap(\.shipmentItems)
                #expect(items.map(\.sku) == ["GIFT"] && items.map(\.quantity) == [units], "\(fr): \(items)")
            }
            // Components that make no whole kit are refused, named by line; nothing is left to ship.
            let odd = try file(
                "odd.csv",
                "fr,tracking_number,carrier,sku,quantity\nFR-71003,1Z009,UPS,MUG,1\nFR-71003,1Z009,UPS,COASTER,1\n")
            let refused = try await AgentBinary.run(["tracking", "import", odd] + connection, environment: env)
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains(
                    "odd.csv:2: 1 × MUG, 1 × COASTER do not make whole GIFT kits (each takes 1 × MUG, 2 × COASTER)"),
                "\(refused.stderr)")
            let store = try await AgentDatabase.open(path: db)
            let ledger = try await store.loadLedger()
            #expect(ledger.totalReserved(sku: "MUG") == 5 && ledger.totalReserved(sku: "COASTER") == 8)

            // A new count after the shipments; the push offers the kits the free components build.
            let recount = try file(
                "recount.csv", "sku,on_hand,location,cost\nMUG,5,dallas,2.00\nCOASTER,6,dallas,0.50\n")
            #expect(try await AgentBinary.run(["stock", "import", recount, "--db", db]).status == 0)
            let variants = try JSONEncoder().encode(["GIFT", "MUG", "COASTER"].map { ["sku": $0] })
            #expect(await HTTPProbe.post(url + "/_sandbox/inventory/variants", json: variants)?.status == 201)
            let push = try await AgentBinary.run(
                ["inventory", "push", "--cost", "--rules", rules] + connection, environment: env)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(await sandbox.variant(sku: "GIFT")?.quantity == 3)
            #expect(await sandbox.variant(sku: "GIFT")?.cost == 3.0)
            #expect(await sandbox.variant(sku: "MUG")?.quantity == 5)
        }
    }
}

extension Array {
    /// Each element mapped in order by an async function.
    fileprivate func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var out: [T] = []
        for element in self { out.append(await transform(element)) }
        return out
    }
}
