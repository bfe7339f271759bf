import AgentStore
import Foundation
import FulfillmentCore
import Testing

/// The kits each pool keeps, on every engine.
@Suite("Store contract: kits")
struct KitStoreTests {
    typealias Fixture = AgentDatabaseTests
    static let gift = Kit(
        sku: "GIFT", components: [.init(sku: "MUG", quantity: 1), .init(sku: "COASTER", quantity: 2)])
    static let box = Kit(sku: "BOX", components: [.init(sku: "GIFT", quantity: 2), .init(sku: "TAPE", quantity: 1)])

    @Test(
        "kits are kept per pool in the file's order, replaced whole, and the pool's ledger promises from them",
        arguments: StoreEngine.available)
    func kits(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            #expect(try await db.kitListing() == KitListing(kits: [], importedAt: nil, file: nil))
            try await db.replaceKits([Self.box, Self.gift], source: "kits.csv", pool: nil, at: Fixture.now)
            let listing = try await db.kitListing()
            #expect(listing.kits == [Self.box, Self.gift] && listing.file == "kits.csv")
            #expect(abs((listing.importedAt ?? .distantPast).timeIntervalSince(Fixture.now)) < 1)
            // The ledger carries them, nested kits expanded to stocked components.
            let ledger = try await db.loadLedger()
            #expect(
                ledger.kits.components(of: "BOX") == [
                    .init(sku: "MUG", quantity: 2), .init(sku: "COASTER", quantity: 4), .init(sku: "TAPE", quantity: 1),
                ])
            // Another pool has none and keeps its own.
            let other = try await db.scoped(to: "elsewhere", pool: "elsewhere")
            #expect(try await other.kitListing().kits.isEmpty)
            #expect(try await other.loadLedger().kits.isKit("GIFT") == false)
            try await db.replaceKits([Self.gift], source: "other.csv", pool: "elsewhere", at: Fixture.now)
            // A new file replaces the pool's kits whole.
            try await db.replaceKits([Self.gift], source: "kits-2.csv", pool: nil, at: Fixture.now)
            #expect(try await db.kitListing().kits == [Self.gift])
            #expect(try await other.kitListing().file == "other.csv")
            try await db.replaceKits([], source: "empty.csv", pool: nil, at: Fixture.now)
            #expect(try await db.kitListing().kits.isEmpty)
            #expect(try await db.loadLedger().kits.isKit("GIFT") == false)
        }
    }
}
