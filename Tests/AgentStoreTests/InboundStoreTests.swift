import AgentStore
import Foundation
import FulfillmentCore
import Testing

/// Stock on its way kept per pool, on every engine: promises from an arrival come out of it,
/// never out of the shelf, until the count that receives it.
@Suite("Store contract: stock on its way")
struct InboundStoreTests {
    typealias Fixture = AgentDatabaseTests

    @Test(
        "arrivals are kept per pool, replaced whole; a promise from one holds it until the next count receives it",
        arguments: StoreEngine.available)
    func inbound(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            let now = Fixture.now
            let landing = now.addingTimeInterval(86_400)
            try await Fixture.stockShelf(db, units: 1)
            #expect(try await db.inboundListing() == InboundListing(rows: [], importedAt: nil, file: nil))
            let rows = [
                InboundStock(sku: "A", location: "dallas", quantity: 2, expectedAt: landing),
                InboundStock(sku: "A", location: "dallas", quantity: 5, expectedAt: landing.addingTimeInterval(86_400)),
            ]
            try await db.replaceInbound(rows, source: "po.csv", pool: nil, at: now)
            let listing = try await db.inboundListing()
            #expect(listing.rows.map(\.quantity) == [2, 5] && listing.file == "po.csv")
            #expect(
                listing.rows.map(\.expectedAt.timeIntervalSince1970) == rows.map(\.expectedAt.timeIntervalSince1970))
            var ledger = try await db.loadLedger()
            #expect(ledger.arrivals(of: "A").map(\.free) == [2, 5] && ledger.free(sku: "A", location: "dallas") == 1)

            // An FR promised 1 from the shelf and 2 from the first arrival.
            let fr = Fixture.fr(1, quantity: 3)
            try await db.recordSeen([(fr, #"{"id":1}"#)], at: now)
            var decision = Fixture.decision(fr, .acknowledge)
            decision.reservations = [
                StockReservation(sku: "A", location: "dallas", quantity: 1),
                StockReservation(sku: "A", location: "dallas", quantity: 2, inboundAt: landing),
            ]
            #expect(
                try await db.recordDecision(
                    decision, cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil), at: now))
            ledger = try await db.loadLedger()
            #expect(ledger.arrivals(of: "A").map(\.free) == [5] && ledger.free(sku: "A", location: "dallas") == 0)
            let positions = try await db.stockPositions()
            #expect(positions.first?.held == 1, "the stock page's held units are the shelf's")

            // The count after the first landing holds its 2: the promise now holds them there.
            try await db.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 3)], source: "count", pool: nil,
                at: landing.addingTimeInterval(3_600), asOf: landing.addingTimeInterval(3_600), allowShrink: true)
            ledger = try await db.loadLedger()
            #expect(ledger.arrivals(of: "A").map(\.free) == [5] && ledger.free(sku: "A", location: "dallas") == 0)
            #expect(try await db.integrityProblems() == [])
            // Another pool has none.
            let other = try await db.scoped(to: "elsewhere", pool: "elsewhere")
            #expect(try await other.loadLedger().hasInbound == false)
        }
    }
}
