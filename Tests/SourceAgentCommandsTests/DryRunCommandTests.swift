import Foundation
import Testing

@Suite("dry-run")
struct DryRunCommandTests {
    let base = [
        "dry-run", "--input", "examples/frs-sample.json", "--stock", "examples/stock-sample.csv", "--now",
        "2026-11-27T09:00:00-06:00", "--rules", "rules.example.yaml",
    ]

    @Test("the sample FRs get the decisions a reviewer expects, in the documented JSON shape")
    func json() async throws {
        let result = try await CLI.run(base + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let decisions = records.map { "\($0["fr_id"]!) \($0["decision"]!) \($0["rule"]!)" }
        #expect(
            decisions == [
                "1001 acknowledge ship-complete", "1002 cancel freight-to-po-box", "1003 hold military-needs-usps",
                "1004 hold address-needs-review", "1005 split ship-what-we-have", "1006 cancel default",
                "1007 cancel too-late", "1008 acknowledge ship-complete", "1009 cancel embargoed-destination",
                "1010 hold address-needs-review", "1011 acknowledge ship-complete",
            ])
        let split = records[4]
        #expect(split["fr_number"] as? String == "FR-1005")
        #expect(split["remainder"] as? String == "fill")
        #expect(split["reason"] is NSNull && split["note"] is NSNull)
        let lines = try #require(split["lines"] as? [[String: Any]])
        #expect(lines.count == 2)
        #expect(lines[0]["sku"] as? String == "SKU-GREEN")
        #expect(
            lines[0]["quantity"] as? Int == 4 && lines[0]["acknowledged"] as? Int == 1
                && lines[0]["cancelled"] as? Int == 3)
        let trace = try #require(split["trace"] as? [[String: Any]])
        #expect(trace.last?["rule"] as? String == "ship-what-we-have" && trace.last?["matched"] as? Bool == true)
        #expect(records.allSatisfy { $0["facts"] == nil })
    }

    @Test("ndjson prints one object per line; --explain adds the facts")
    func ndjson() async throws {
        let result = try await CLI.run(base + ["--format", "ndjson", "--explain"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 11)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let facts = try #require(first["facts"] as? [String: Any])
        #expect((facts["ship"] as? [String: Any])?["earliest"] as? String == "2026-11-27T20:00:00Z")
    }

    @Test("the table fits 80 columns and says what happened")
    func table() async throws {
        let result = try await CLI.run(base)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count))")
        #expect(lines.first?.hasPrefix("FR        DECISION") == true)
        #expect(lines.contains { $0.hasPrefix("FR-1005   SPLIT        ship-what-we-have") })
        #expect(lines.last == "11 FRs: 3 acknowledge, 1 split, 4 cancel, 3 hold")
    }

    @Test("--explain shows every rule tried with its values")
    func explain() async throws {
        let result = try await CLI.run(base + ["--explain"])
        #expect(result.stdout.contains("FR-1007 (id 1007) → CANCEL by rule too-late, reason cannot_meet_ship_by"))
        #expect(result.stdout.contains("    ✔ too-late\n        ship.meets_ship_by → false"))
        #expect(result.stdout.contains("ship earliest 2026-11-27T14:00-06:00 · misses ship-by by 4 ship days"))
    }

    @Test("a malformed or repeated FR is reported and skipped; the rest are decided once")
    func malformed() async throws {
        let input = """
            [{"id": 1, "generatedAt": "2026-11-26T15:00:00Z", "fulfillmentRequestItems": [{"sku": "SKU-RED", "quantity": 1}]},
             {"id": 2, "fulfillmentRequestItems": [{"sku": "SKU-RED", "quantity": "two"}]},
             {"id": 1, "fulfillmentRequestItems": [{"sku": "SKU-RED", "quantity": 5}]}]
            """
        let result = try await CLI.run(
            [
                "dry-run", "--input", "-", "--stock", "examples/stock-sample.csv", "--now", "2026-11-27T09:00:00-06:00",
                "--rules", "rules.example.yaml",
            ], stdin: input)
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "skipped malformed FR 2: fulfillmentRequestItems[0].quantity: expected a whole number"))
        #expect(result.stderr.contains("skipped FR 1: it appears again; the first copy is decided"))
        #expect(
            result.stdout.contains(
                "1 FR: 0 acknowledge, 0 split, 0 cancel, 1 hold; 2 FRs skipped (malformed or repeated)"))
    }

    @Test("unreadable inputs exit 2 with a message naming the file and line")
    func badInputs() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stock = dir.appendingPathComponent("stock.csv")
        try "sku,on_hand\nA,1\nB,x\n".write(to: stock, atomically: true, encoding: .utf8)
        let badStock = try await CLI.run(
            ["dry-run", "--input", "examples/frs-sample.json", "--stock", stock.path, "--rules", "rules.example.yaml"])
        #expect(badStock.status == 2)
        #expect(
            badStock.stderr.contains("\(stock.path):3: on_hand for B must be a whole number of at least 0, got 'x'"))
        let missing = try await CLI.run(["dry-run", "--input", "nope.json", "--rules", "rules.example.yaml"])
        #expect(missing.status == 2 && missing.stderr.contains("FR file 'nope.json' does not exist"))
        let notArray = try await CLI.run(
            ["dry-run", "--input", "-", "--rules", "rules.example.yaml", "--stock", "examples/stock-sample.csv"],
            stdin: "{}")
        #expect(notArray.status == 2 && notArray.stderr.contains("expected a JSON array of fulfillment requests"))
        let badNow = try await CLI.run(
            [
                "dry-run", "--input", "examples/frs-sample.json", "--rules", "rules.example.yaml", "--now",
                "2026-11-27T09:00:00",
            ])
        #expect(badNow.status != 0 && badNow.stderr.contains("has no time zone"))
        let live = try await CLI.run([
            "dry-run", "--live", "--rules", "rules.example.yaml", "--stock", "examples/stock-sample.csv",
        ])
        #expect(live.status == 2 && live.stderr.contains("no Flxpoint token"))
    }
}

@Suite("dry-run with kits")
struct DryRunKitsTests {
    @Test("--kits promises kit lines from components, --inbound counts stock on its way; a bad kits file exits 2")
    func kits() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dry-run-kits-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // FR-1005 asks 4 × SKU-GREEN (2 counted); as a kit of one FRT-100 it is built from the 3 an older FR leaves.
        let kits = directory.appendingPathComponent("kits.csv").path
        try "kit_sku,component_sku,quantity\nSKU-GREEN,FRT-100,1\n".write(
            toFile: kits, atomically: true, encoding: .utf8)
        let base = [
            "dry-run", "--input", "examples/frs-sample.json", "--stock", "examples/stock-sample.csv", "--now",
            "2026-11-27T09:00:00-06:00", "--rules", "rules.example.yaml", "--explain",
        ]
        let plain = try await CLI.run(base)
        #expect(plain.stdout.contains("line SKU-GREEN × 4: acknowledged 1, cancelled 3"), "\(plain.stdout)")
        let result = try await CLI.run(base + ["--kits", kits])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("line SKU-GREEN × 4: acknowledged 3, cancelled 1"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "SKU-GREEN 3/4 kits (available 3; each 1 × FRT-100 from 3@reno (enough for 3); limited by FRT-100)"),
            "\(result.stdout)")

        // Stock on its way: a Saturday arrival is in time for Monday's pickup; explain says so.
        let inbound = directory.appendingPathComponent("po.csv").path
        try "sku,quantity,expected_at,location\nSKU-GREEN,5,2026-11-28T10:00:00-06:00,reno\n".write(
            toFile: inbound, atomically: true, encoding: .utf8)
        let arriving = try await CLI.run(base + ["--inbound", inbound])
        #expect(
            arriving.stdout.contains(
                "on its way: 3 units in time (3 land Sat 2026-11-28 at reno) · covers all in time · ready "
                    + "2026-11-30T14:00-06:00"), "\(arriving.stdout)")

        let looped = directory.appendingPathComponent("loop.csv").path
        try "kit_sku,component_sku,quantity\nA,B,1\nB,A,1\n".write(toFile: looped, atomically: true, encoding: .utf8)
        let refused = try await CLI.run(base + ["--kits", looped])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("loop.csv:2: kit A contains itself: A → B → A"), "\(refused.stderr)")
    }
}
