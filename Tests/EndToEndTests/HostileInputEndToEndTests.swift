import AgentStore
import AgentStoreSQLite
import AgentTesting
import Foundation
import FulfillmentCore
import Testing

/// Hostile input the way it arrives in production: FRs over HTTP from the sandbox, files
/// handed to the binary. Each gets a clear error or a safe outcome, and nothing already
/// stored is lost.
@Suite("Hostile input, end to end")
struct HostileInputEndToEndTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("hostile FRs over HTTP: the impossible are quarantined, the odd decided and answered once, no stock misread")
    func hostileFRs() async throws {
        var frs = AgentFixture.simpleFRs([
            ("SKU-RED", 2), ("SKU-RED", 1), ("SKU-R\u{0415}D", 1), ("=HYPERLINK(\"x\")", 1),
        ])
        // 1 MB here; FulfillmentCore's hostile-FR tests decide 10 MB strings (a debug build spends seconds per pass
        // over 10 MB, and the FR goes through the store and the sandbox several times).
        frs[1].shippingAddress?.name = "<script>alert(1)</script>" + String(repeating: "x", count: 1_000_000)
        frs[1].note = String(repeating: "\u{202E}\u{0000}", count: 1_000)
        let malformed: [Int: JSONValue] = [
            70_010: try Self.json(
                #"{"id": 70010, "fulfillmentRequestItems": [{"id": 1, "sku": "SKU-RED", "quantity": 1, "shippedQuantity": 4611686018427387904}, {"id": 2, "sku": "SKU-RED", "quantity": 1, "shippedQuantity": 4611686018427387904}]}"#
            ),
            70_011: try Self.json(
                #"{"id": 70011, "fulfillmentRequestItems": [{"id": 1, "sku": "SKU-RED", "quantity": -4}]}"#),
        ]
        try await AgentFixture.withAgent(
            frs: frs + AgentFixture.simpleFRs([("SKU-RED", 1), ("SKU-RED", 1)], firstId: 70_010),
            malformed: malformed, stock: AgentFixture.stock(["SKU-RED": 4])
        ) { context in
            let first = try await context.agent.cycle.run()
            #expect(first.quarantined == 2 && first.decided == 4)
            try await context.runUntilQuiet()
            _ = try await context.agent.cycle.run()
            let stats = await context.sandbox.stats()
            // The 1 MB recipient name fails the address check: held for a person, not answered.
            #expect(stats.answers == ["70001": 1, "70003": 1, "70004": 1], "\(stats.answers)")
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            let held = try await context.database.decisions(forFR: "70002")
            #expect(held.map(\.decision) == [.hold] && held.first?.note == "address problems: line_too_long")
            // The look-alike SKU and the formula SKU took none of SKU-RED's units.
            #expect(try await context.database.heldUnitsByFR() == [70_001: ["SKU-RED": 2]])
            let quarantined = try await context.database.quarantined().compactMap(\.frId).sorted()
            #expect(quarantined == [70_010, 70_011])
        }
    }

    @Test(
        "100 MB of garbage as a stock file is refused in a moment, naming a line; the stock stored stays")
    func garbageStockFile() async throws {
        let directory = try Scratch.directory("hostile-stock")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let good = directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand\nSKU-RED,7\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try await AgentBinary.run(["stock", "import", good, "--db", db]).status == 0)

        let garbage = directory.appendingPathComponent("garbage.csv")
        FileManager.default.createFile(atPath: garbage.path, contents: nil)
        let handle = try FileHandle(forWritingTo: garbage)
        var random = SystemRandomNumberGenerator()
        // Starts like a UTF-16 file, so the first line is where it stops being UTF-8.
        let block = Data([0xFF, 0xFE] + (2..<1_048_576).map { _ in UInt8.random(in: 0...255, using: &random) })
        for _ in 0..<100 { handle.write(block) }
        try handle.close()
        let endless = directory.appendingPathComponent("endless.csv")
        try Data("sku,on_hand\n".utf8 + Array(repeating: UInt8(ascii: "7"), count: 100_000_000)).write(to: endless)

        for (file, message) in [
            (garbage.path, "garbage.csv:1: this line is not UTF-8 text"),
            (endless.path, "endless.csv:2: a row longer than 65536 characters"),
        ] {
            let started = ContinuousClock.now
            let refused = try await AgentBinary.run(["stock", "import", file, "--db", db])
            #expect(refused.status == 2, "\(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            // A bound on the work, not a speed target (a 100 MB row read whole took minutes);
            // generous, so a machine the whole suite loads does not bend it.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
        let status = try await AgentBinary.run(["status", "--db", db, "--format", "json"])
        #expect(status.status == 0)
        let tracking = try await AgentBinary.run(
            ["tracking", "import", garbage.path, "--db", db],
            environment: ["FLXPOINT_SOURCE_TOKEN": "t", "FLXPOINT_API_URL": "http://127.0.0.1:9"])
        #expect(
            tracking.status == 2 && tracking.stderr.contains("garbage.csv:1: this line is not UTF-8"),
            "\(tracking.stderr)")
        let levels = try await AgentBinary.run(
            ["dry-run", "--input", "-", "--db", db, "--rules", "rules.example.yaml"], stdin: "[]")
        #expect(levels.status == 0)
        #expect(try await Self.onHand(db) == ["SKU-RED": 7])
    }

    static func onHand(_ path: String) async throws -> [String: Int] {
        let levels = try await AgentDatabase.open(path: path).stockLevels()
        return Dictionary(levels.map { ($0.sku, $0.onHand) }, uniquingKeysWith: +)
    }

    @Test(
        "rule files that are not UTF-8, nest deep or alias are refused by rules check with their position")
    func hostileRuleFiles() async throws {
        let directory = try Scratch.directory("hostile-rules")
        defer { try? FileManager.default.removeItem(at: directory) }
        let latin1 = directory.appendingPathComponent("latin1.yaml")
        try Data("version: 1\nrules:\n  - name: caf".utf8 + [0xE9] + Array("\n    when: true\n    then: hold\n".utf8))
            .write(to: latin1)
        let deep = directory.appendingPathComponent("deep.yaml")
        try ("version: 1\nlists:\n  x: " + String(repeating: "[", count: 100_000) + "\n").write(
            to: deep, atomically: true, encoding: .utf8)
        let aliased = directory.appendingPathComponent("aliased.yaml")
        try "version: 1\nlists:\n  a: &a [x, y]\n  b: *a\nrules: []\n".write(
            to: aliased, atomically: true, encoding: .utf8)
        for (file, message) in [
            (latin1.path, "is not UTF-8 text"),
            (deep.path, "deep.yaml:3:106: error: YAML nested deeper than 100 levels"),
            (aliased.path, "aliased.yaml:3:6: error: YAML anchors (&name) are not supported"),
        ] {
            let started = ContinuousClock.now
            let checked = try await AgentBinary.run(["rules", "check", file])
            #expect(checked.status == 2, "\(checked.stderr)")
            #expect((checked.stdout + checked.stderr).contains(message), "\(checked.stdout + checked.stderr)")
            // A bound on the work, generous for a loaded machine: a nesting or alias bomb
            // expanded would take minutes.
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }
}
