import Foundation
import FulfillmentCore
import GRDB
import Testing

@testable import AgentStore
@testable import AgentStoreSQLite

@Suite("Stock over time: snapshots, reservations that ship or are released")
struct StockOverTimeTests {
    typealias Fixture = AgentDatabaseTests
    static let day1 = Fixture.now
    static func hours(_ h: Double) -> Date { day1.addingTimeInterval(h * 3600) }

    /// An acknowledged FR holding `units` of A at dallas.
    func acknowledge(_ db: any SourceStore, id: Int, units: Int) async throws {
        let fr = Fixture.fr(id, quantity: units)
        try await db.recordSeen([(fr, Self.json(fr))], at: Self.day1)
        var decision = Fixture.decision(fr, .acknowledge, reserve: units)
        decision.lines = [LineAnswer(itemId: id * 10, sku: "A", quantity: units, acknowledged: units, cancelled: 0)]
        try await db.recordDecision(
            decision, cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil),
            at: Self.day1)
    }

    static func json(_ fr: FulfillmentRequest) -> String {
        #"{"id": \#(fr.id), "fulfillmentRequestNumber": "FR-\#(fr.id)", "fulfillmentRequestItems": "#
            + #"[{"id": \#(fr.id * 10), "sku": "A", "quantity": \#(fr.items[0].quantity)}]}"#
    }

    func ship(_ db: any SourceStore, frId: Int, units: Int, at shippedAt: Date, tracking: String) async throws -> Bool {
        let record = ShipmentRecord(
            frId: frId, trackingNumber: tracking, carrier: "UPS", method: nil, shippedAt: shippedAt, bodyJSON: "{}",
            units: units, source: "test", at: shippedAt)
        return try await db.recordShipment(record, units: ["A": units]).isNew
    }

    func free(_ db: any SourceStore) async throws -> Int {
        try await db.loadLedger().promisable(sku: "A", safetyStock: 0)
    }

    @Test(
        "free = on hand − held − shipped after the snapshot; a restock after shipping frees the units again",
        arguments: StoreEngine.available)
    func twoDays(_ engine: StoreEngine) async throws {
        try await Fixture().withDatabase(engine) { db in
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "t", at: Self.day1)
            for id in 1...5 { try await acknowledge(db, id: id, units: 2) }
            #expect(try await free(db) == 0)
            // Day one's parcels leave in the evening; they are still gone from day one's count.
            for id in 1...5 { #expect(try await ship(db, frId: id, units: 2, at: Self.hours(8), tracking: "T\(id)")) }
            #expect(try await free(db) == 0)
            #expect(try await db.reservations(state: .held).isEmpty)
            // Day two's count (taken after they shipped) is the truth again.
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "t", pool: nil, at: Self.hours(24),
                asOf: Self.hours(23), allowShrink: false)
            #expect(try await free(db) == 10)
            // A parcel shipped after the count is subtracted from it.
            try await acknowledge(db, id: 6, units: 3)
            #expect(try await ship(db, frId: 6, units: 3, at: Self.hours(25), tracking: "T6"))
            #expect(try await free(db) == 7)
        }
    }

    @Test(
        "a partial shipment splits the reservation; the same tracking number twice records nothing new",
        arguments: StoreEngine.available)
    func partial(_ engine: StoreEngine) async throws {
        try await Fixture().withDatabase(engine) { db in
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "t", at: Self.day1)
            try await acknowledge(db, id: 1, units: 3)
            #expect(try await ship(db, frId: 1, units: 1, at: Self.hours(1), tracking: "T1"))
            #expect(try await !ship(db, frId: 1, units: 1, at: Self.hours(1), tracking: "T1"))
            #expect(try await db.heldUnits(frId: 1) == ["A": 2])
            #expect(try await db.reservations(state: .shipped).map(\.quantity) == [1])
            #expect(try await db.reservations(state: .shipped).first?.endedAt == Self.hours(1))
            #expect(try await db.shipments().count == 1)
            #expect(try await free(db) == 7)
        }
    }

    @Test(
        "a refused answer, a void seen on read-back and a read-back shipment end reservations",
        arguments: StoreEngine.available)
    func endings(_ engine: StoreEngine) async throws {
        try await Fixture().withDatabase(engine) { db in
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 10)], source: "t", at: Self.day1)
            for id in 1...3 { try await acknowledge(db, id: id, units: 2) }
            let refused = try #require(try await db.outbox().first { $0.frId == 1 }?.id)
            try await db.markFailed(refused, reason: "voided", at: Self.hours(1))
            try await db.applyReadBack(frId: 2, shipped: [:], voided: true, at: Self.hours(2))
            try await db.applyReadBack(frId: 3, shipped: ["A": 1], voided: false, at: Self.hours(3))
            #expect(try await db.reservations(state: .released).map(\.frId) == [1, 2])
            #expect(try await db.heldUnits(frId: 3) == ["A": 1])
            #expect(try await free(db) == 8)  // 10 − 1 held − 1 shipped after the snapshot
            let awaiting = try await db.awaitingShipment()
            #expect(awaiting.units == 1 && awaiting.frs == 1)
        }
    }

    @Test("a version-1 database migrates: consumed reservations become shipped, nothing is lost")
    func migration() async throws {
        let scratch = ScratchDatabase("v1")
        defer { scratch.remove() }
        let path = scratch.path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1: decisions, outbox, stock, quarantine, cycles")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO fr (id, raw_json, first_seen, last_seen) VALUES (1, '{}', '2026-11-27', '2026-11-27');
                    INSERT INTO decision (id, fr_id, decision, rule, lines_json, trace_json, facts_json, decided_now,
                        rules_sha256, decided_at)
                        VALUES (1, 1, 'acknowledge', 'r', '[]', '{}', '{}', '2026-11-27', ?, '2026-11-27');
                    INSERT INTO reservation (fr_id, decision_id, sku, location, quantity, state) VALUES
                        (1, 1, 'A', 'dallas', 1, 'held'), (1, 1, 'A', 'dallas', 2, 'consumed'),
                        (1, 1, 'A', 'dallas', 3, 'released');
                    INSERT INTO stock_import (imported_at, source, rows) VALUES ('2026-11-27 10:00:00.000', 'x', 0);
                    """, arguments: [String(repeating: "a", count: 64)])
        }
        try queue.close()
        let db = try AgentDatabase.open(path: path)
        #expect(try await db.reservations(state: .held).map(\.quantity) == [1])
        #expect(try await db.reservations(state: .shipped).map(\.quantity) == [2])
        #expect(try await db.reservations(state: .released).map(\.quantity) == [3])
        #expect(try await db.lastStockImport() != nil)
        #expect(try await db.integrityProblems() == [])
    }

    @Test("a version-5 database migrates to the source 'default' in the pool 'shared' without loss")
    func manySourcesMigration() async throws {
        let scratch = ScratchDatabase("v5")
        defer { scratch.remove() }
        let path = scratch.path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v5: decisions taken by a person")
        let now = Date()
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO fr (id, number, raw_json, first_seen, last_seen) VALUES (7, 'FR-7', '{}', ?, ?);
                    INSERT INTO cycle (id, started_at) VALUES (1, ?);
                    INSERT INTO decision (id, fr_id, cycle_id, decision, rule, lines_json, trace_json, facts_json,
                        decided_now, rules_sha256, decided_at, decided_by)
                        VALUES (1, 7, 1, 'acknowledge', 'manual', '[]', '{}', '{}', ?, ?, ?, 'ana');
                    INSERT INTO outbox (fr_id, decision_id, kind, state, created_at, updated_at)
                        VALUES (7, 1, 'acknowledge', 'done', ?, ?);
                    INSERT INTO reservation (fr_id, decision_id, sku, location, quantity, state)
                        VALUES (7, 1, 'A', 'dallas', 2, 'held');
                    INSERT INTO shipment (fr_id, tracking_number, shipped_at, body_json, units, source, state,
                        created_at, updated_at) VALUES (7, '1Z', ?, '{}', 1, 'ship.csv:2', 'done', ?, ?);
                    INSERT INTO stock (sku, location, on_hand) VALUES ('A', 'dallas', 5);
                    INSERT INTO stock_import (imported_at, as_of, source, rows) VALUES (?, ?, 'stock.csv', 1);
                    INSERT INTO inventory_push (sku, quantity, pushed_at) VALUES ('A', 3, ?);
                    INSERT INTO inventory_variant (sku, variant_id, fetched_at) VALUES ('A', 99, ?);
                    INSERT INTO alert (event, fr_id, payload_json, state, created_at)
                        VALUES ('hold_escalated', 7, '{}', 'sent', ?);
                    """,
                arguments: [
                    now, now, now, now, String(repeating: "a", count: 64), now, now, now, now, now, now, now, now,
                    now, now, now,
                ])
        }
        try queue.close()
        let file = try AgentDatabase.open(path: path)
        #expect(try await file.knownSources().map(\.name) == ["default"])
        #expect(try await file.activeSources() == ["default"])
        let db = try await file.scoped(to: "default")
        #expect(db.pool == "shared")
        #expect(try await db.decisions(forFR: "FR-7").map(\.decidedBy) == ["ana"])
        #expect(try await db.answers(forFR: 7).map(\.state) == [.done])
        #expect(try await db.heldUnits(frId: 7) == ["A": 2])
        #expect(try await db.shipments().map(\.trackingNumber) == ["1Z"])
        #expect(try await db.pushedFigures() == ["A": PushedFigure(quantity: 3, cost: nil)])
        #expect(try await db.variantIds(for: ["A"]) == ["A": 99])
        #expect(try await db.alerts().map(\.frId) == [7])
        #expect(try await db.status().lastCycle?.id == 1)
        let ledger = try await db.loadLedger()
        #expect(ledger.promisable(sku: "A", safetyStock: 0) == 3)
        // Another source sees none of it, and draws on the same pool.
        let other = try await file.scoped(to: "retailer-b", pool: "shared")
        #expect(try await other.decisions(forFR: "FR-7").isEmpty)
        #expect(try await other.loadLedger().promisable(sku: "A", safetyStock: 0) == 3)
        #expect(try await db.integrityProblems() == [])
    }

    @Test("a 0.9.0 (version-7) database migrates: what overrode the rules moves from note text to its column")
    func overrideMigration() async throws {
        let scratch = ScratchDatabase("v7")
        defer { scratch.remove() }
        let path = scratch.path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v7: shipments by FR")
        let now = Date()
        let sha = String(repeating: "a", count: 64)
        // As 0.9.0 wrote them: a pause hold, a guard hold, a give-way hold, an escalated answer,
        // and a rule's plain hold.
        let rows: [(Int, String, String?, String?, String)] = [
            (1, "hold", nil, "paused; would acknowledge by rule complete", "{}"),
            (2, "hold", "guard", "guard tripped", "{}"),
            (3, "hold", nil, "older FRs of other sources in stock pool 'shared' come first", "{}"),
            (4, "cancel", "out_of_stock", nil, #"{"notes":["escalated: held since 2026-11-26T09:00:00Z"]}"#),
            (5, "hold", nil, "address problems: po_box", "{}"),
        ]
        try await queue.write { db in
            for (id, kind, reason, note, trace) in rows {
                try db.execute(
                    sql: """
                        INSERT INTO fr (source_name, id, number, raw_json, first_seen, last_seen)
                            VALUES ('default', ?, ?, '{}', ?, ?);
                        INSERT INTO decision (source_name, fr_id, decision, rule, reason, note, lines_json, trace_json,
                            facts_json, decided_now, rules_sha256, decided_at)
                            VALUES ('default', ?, ?, 'r', ?, ?, '[]', ?, '{}', ?, ?, ?);
                        """,
                    arguments: [id, "FR-\(id)", now, now, id, kind, reason, note, trace, now, sha, now])
            }
        }
        try queue.close()
        let db = try AgentDatabase.open(path: path)
        var overrides: [DecisionOverride?] = []
        for (id, _, _, _, _) in rows { overrides.append(try await db.decisions(forFR: String(id)).first?.override) }
        #expect(overrides == [.paused, .guardHold, .giveWay, .escalated, nil])
        #expect(try await db.integrityProblems() == [])
    }
}
