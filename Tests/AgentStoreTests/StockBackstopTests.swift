import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import AgentTesting
import Foundation
import FulfillmentCore
import Testing

/// The shared store's last line on stock: PostgreSQL itself refuses units promised from the
/// shelf beyond what is on hand, whoever writes them; backorders, recounts and shipments are
/// never refused, on either engine. (SQLite has one process, which promises under the pool's
/// lock in memory; the trigger's running total is the shared store's.)
@Suite("Stock backstop")
struct StockBackstopTests {
    typealias Fixture = AgentDatabaseTests
    static let now = Fixture.now

    /// A decision for FR `id` holding `shelf` units of A from the shelf and `owed` on backorder.
    static func decide(_ store: any SourceStore, _ id: Int, shelf: Int, owed: Int = 0) async throws {
        let fr = Fixture.fr(id)
        try await store.recordSeen([(fr, #"{"id":\#(id)}"#)], at: now)
        var decision = Fixture.decision(fr, .acknowledge, reserve: shelf)
        if owed > 0 {
            decision.reservations.append(
                StockReservation(sku: "A", location: "dallas", quantity: owed, backordered: true))
        }
        try await store.recordDecision(
            decision, cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil), at: now)
    }

    static func stock(_ store: any SourceStore, _ units: Int) async throws {
        try await store.replaceStock(
            [StockLevel(sku: "A", location: "dallas", onHand: units)], source: "count", pool: nil, at: now,
            asOf: nil, allowShrink: true)
    }

    @Test("a shelf promise beyond on hand is refused by the database; the decision is not written")
    func refusesOverPromise() async throws {
        // No lease, no promise check in Swift: only the database stands guard.
        try await ScratchPostgres.withDatabase { database in
            let store = try await PostgresStore.open(database)
            try await Self.stock(store, 3)
            try await Self.decide(store, 1, shelf: 2)
            let refused = await #expect(throws: (any Error).self) { try await Self.decide(store, 2, shelf: 2) }
            #expect(refused.map { String(describing: $0) }?.contains("reservation_within_stock") == true)
            #expect(try await store.decidedFRIds() == [1])
            #expect(try await store.reservations(state: .held).map(\.quantity) == [2])
            // The last unit fits exactly.
            try await Self.decide(store, 3, shelf: 1)
            #expect(try await store.loadLedger().free(sku: "A", location: "dallas") == 0)
            // The pool's other sources count too.
            let west = try await PostgresStore.open(database).scoped(to: "west", pool: "shared")
            await #expect(throws: (any Error).self) { try await Self.decide(west, 4, shelf: 1) }
            // Units released (an answer withdrawn) may be promised again.
            #expect(try await store.withdrawPending(frId: 1, reason: "test", backToPerson: true, at: Self.now))
            try await Self.decide(west, 4, shelf: 2)
            #expect(try await store.integrityProblems() == [])
        }
    }

    @Test("backorders, a lower recount and shipping what is held are never refused")
    func neverRefusesOwedOrShipped() async throws {
        try await ScratchPostgres.withDatabase { database in
            let book = LeaseBook(holder: "A", ttl: .seconds(60), margin: .seconds(1))
            let store = try await PostgresStore.open(database).fenced(by: book)
            let grant = try await store.leases.acquire(
                holder: "A", sources: ["default"], limit: 1, ttl: .seconds(60))
            book.trust(["default": try #require(grant.first).epoch], since: book.now())
            try await Self.stock(store, 1)
            // An acknowledge short of stock: 1 from the shelf, 2 owed. The shared store's
            // promise check lets it through (it used to refuse it every cycle).
            try await Self.decide(store, 1, shelf: 1, owed: 2)
            #expect(try await store.decidedFRIds() == [1])
            #expect(try await store.reservations(state: .held).map(\.quantity).sorted() == [1, 2])
            // Nothing left on the shelf: a second backorder is owed, not refused.
            try await Self.decide(store, 2, shelf: 0, owed: 1)
            // A recount below what is held is the truth, recorded as counted.
            try await Self.stock(store, 0)
            // Shipping held units (some of a reservation) goes through.
            let shipment = ShipmentRecord(
                frId: 1, trackingNumber: "1Z1", carrier: "UPS", method: nil, shippedAt: Self.now, bodyJSON: "{}",
                units: 2, source: "default", at: Self.now)
            let shipped = try await store.recordShipment(shipment, units: ["A": 2])
            #expect(shipped.isNew)
            #expect(try await store.reservations(state: .shipped).map(\.quantity).reduce(0, +) == 2)
            #expect(try await store.decidedFRIds() == [1, 2])
        }
    }
}
