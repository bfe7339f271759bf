import AgentStore
import AgentStoreSQLite
import Foundation
import FulfillmentCore
import Testing

@Suite("Store contract: FRs, decisions, answers, stock, quarantine, cycles")
struct AgentDatabaseTests {
    static let now = try! Timestamp.parseInstant("2026-11-27T09:00:00-06:00")

    static func fr(_ id: Int, sku: String = "A", quantity: Int = 2) -> FulfillmentRequest {
        FulfillmentRequest(
            id: id, number: "FR-\(id)", generatedAt: now, status: "Processing",
            items: [FulfillmentRequestItem(id: id * 10, sku: sku, quantity: quantity)])
    }

    static func decision(_ fr: FulfillmentRequest, _ kind: DecisionKind, reserve: Int = 0) -> FRDecision {
        FRDecision(
            frId: fr.id, frNumber: fr.number, decision: kind, rule: "r", reason: kind == .cancel ? .other : nil,
            remainder: nil, note: nil,
            lines: kind == .hold
                ? [] : [LineAnswer(itemId: fr.id * 10, sku: "A", quantity: 2, acknowledged: 2, cancelled: 0)],
            trace: DecisionTrace(rules: [RuleTrace(rule: "r", matched: true, checks: [])]),
            facts: Facts(
                now: now, lines: [LineFacts(available: 2)],
                address: AddressFacts(
                    country: "US", state: "TX", postal: "78701", city: "Austin", problems: [], poBox: false,
                    military: false,
                    domestic: true),
                stock: StockFacts(coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1),
                ship: ShipFacts(earliest: now, meetsShipBy: true, daysLate: 0)),
            stockPlan: StockPlan(
                lines: [],
                facts: StockFacts(coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1)),
            reservations: reserve > 0 ? [StockReservation(sku: "A", location: "dallas", quantity: reserve)] : [],
            ruleFileSHA256: String(repeating: "a", count: 64))
    }

    /// Puts units of A on the shelf at dallas: a decision's reservations are taken from
    /// stock on hand (the store refuses more, see `StockBackstopTests`).
    static func stockShelf(_ db: any SourceStore, units: Int = 50) async throws {
        try await db.replaceStock(
            [StockLevel(sku: "A", location: "dallas", onHand: units)], source: "test", pool: nil, at: now, asOf: nil,
            allowShrink: true)
    }

    /// Runs `body` against a fresh store of `engine`, then checks it is sound.
    func withDatabase(_ engine: StoreEngine, _ body: (any SourceStore) async throws -> Void) async throws {
        try await engine.withStore(body)
    }

    @Test(
        "a decision, its reservations and its answer are written together, and only one answer per FR",
        arguments: StoreEngine.available)
    func oneAnswer(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            try await Self.stockShelf(db)
            let fr = Self.fr(1)
            try await db.recordSeen([(fr, "{}")], at: Self.now)
            let draft = OutboxDraft(kind: .acknowledge, bodyJSON: nil)
            #expect(
                try await db.recordDecision(
                    Self.decision(fr, .acknowledge, reserve: 2), cycleId: nil, outbox: draft, at: Self.now
                ))
            #expect(
                try await !db.recordDecision(
                    Self.decision(fr, .cancel), cycleId: nil, outbox: draft, at: Self.now))
            #expect(try await db.outbox().count == 1)
            #expect(try await db.decisions(forFR: "1").count == 1)
            #expect(try await db.decisions(forFR: "FR-1").map(\.decision) == [.acknowledge])
            #expect(try await db.reservations(state: .held).map(\.quantity) == [2])
            #expect(try await db.answeredFRIds(among: [1, 2]) == [1])
            let full = try await db.fullDecision(try #require(try db.decisions(forFR: "1").first))
            #expect(full == Self.decision(fr, .acknowledge, reserve: 2))
        }
    }

    @Test("holds may repeat; the newest decision per FR is found", arguments: StoreEngine.available)
    func holds(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            let fr = Self.fr(2)
            try await db.recordSeen([(fr, "{}")], at: Self.now)
            for _ in 0..<2 {
                #expect(
                    try await db.recordDecision(
                        Self.decision(fr, .hold), cycleId: nil, outbox: nil, at: Self.now))
            }
            #expect(try await db.latestDecisions(for: [2])[2]?.decision == .hold)
            #expect(try await db.status().openHolds == 1)
        }
    }

    @Test(
        "an answer refused for good releases its reservations in the same transaction", arguments: StoreEngine.available
    )
    func failedReleases(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            try await Self.stockShelf(db)
            let fr = Self.fr(3)
            try await db.recordSeen([(fr, "{}")], at: Self.now)
            try await db.recordDecision(
                Self.decision(fr, .acknowledge, reserve: 2), cycleId: nil,
                outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil), at: Self.now)
            let row = try #require(try await db.dueOutbox(at: Self.now).first?.record)
            try await db.markAttempt(row.id!, at: Self.now)
            try await db.markFailed(row.id!, reason: "voided", at: Self.now)
            #expect(try await db.pendingOutboxCount() == 0)
            #expect(try await db.reservations(state: .held).isEmpty)
            #expect(try await db.reservations(state: .released).count == 1)
            let failed = try #require(try await db.outbox().first)
            #expect(failed.state == .failed && failed.attempts == 1 && failed.lastError == "voided")
        }
    }

    @Test("stock import replaces everything; the ledger subtracts held reservations", arguments: StoreEngine.available)
    func stock(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 5)], source: "a.csv", at: Self.now)
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 4)], source: "b.csv", at: Self.now)
            let fr = Self.fr(4)
            try await db.recordSeen([(fr, "{}")], at: Self.now)
            try await db.recordDecision(
                Self.decision(fr, .acknowledge, reserve: 3), cycleId: nil,
                outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil), at: Self.now)
            let ledger = try await db.loadLedger()
            #expect(ledger.free(sku: "A", location: "dallas") == 1)
            #expect(try await db.lastStockImport() == Self.now)
        }
    }

    @Test("a malformed FR is kept once per distinct text", arguments: StoreEngine.available)
    func quarantine(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            let failure = FRDecodeFailure(index: 0, frId: 9, path: "id", message: "bad", rawJSON: #"{"id":9}"#)
            #expect(try await db.quarantine(failure, at: Self.now))
            #expect(try await !db.quarantine(failure, at: Self.now))
            let changed = FRDecodeFailure(index: 0, frId: 9, path: "id", message: "bad", rawJSON: #"{"id":9,"x":1}"#)
            #expect(try await db.quarantine(changed, at: Self.now))
            #expect(try await db.quarantined().map(\.timesSeen) == [2, 1])
            try await db.recordSeen([(Self.fr(9), #"{"id":9}"#)], at: Self.now)  // decodes now
            #expect(try await db.quarantined().isEmpty)
        }
    }

    @Test("cycles are recorded with their counts", arguments: StoreEngine.available)
    func cycles(_ engine: StoreEngine) async throws {
        try await withDatabase(engine) { db in
            var cycle = try await db.beginCycle(at: Self.now)
            #expect(cycle.id != nil)
            cycle.decided = 7
            cycle.finishedAt = Self.now
            try await db.finishCycle(cycle)
            #expect(try await db.status().lastCycle?.decided == 7)
        }
    }
}
