import Foundation
import FulfillmentCore

/// The stock ledger's moving part: units reserved by answers, until they ship or are released.
public protocol ReservationStore: Sendable {
    /// On-hand stock of the pool's last snapshot, less every unit still held and every unit
    /// shipped after the snapshot's `as_of`, by any source drawing on the pool: the state a
    /// cycle decides against. Units shipped before the snapshot were already gone when it was
    /// counted, so they are not subtracted twice.
    func loadLedger() async throws -> StockLedger
    /// Reservations in a state, for checks.
    func reservations(state: ReservationRecord.State) async throws -> [ReservationRecord]
    /// Units held for an FR, per SKU.
    func heldUnits(frId: Int) async throws -> [String: Int]
    /// Units still held per FR and SKU: what is acknowledged and waiting to ship.
    func heldUnitsByFR() async throws -> [Int: [String: Int]]
    /// Acknowledged FRs still holding units whose answer Flxpoint confirmed before
    /// `answeredBefore` and that were not read back since `checkedBefore`: least recently
    /// checked first.
    func readBackCandidates(answeredBefore: Date, checkedBefore: Date, limit: Int) async throws -> [Int]
    /// Applies what a read-back showed: units Flxpoint records as shipped end as `shipped`
    /// (at `now`: the read-back does not say when, and a later snapshot settles it), and a
    /// voided or cancelled FR releases everything still held. Returns the units that stopped
    /// being held.
    @discardableResult
    func applyReadBack(frId: Int, shipped: [String: Int], voided: Bool, at now: Date) async throws -> Int
    /// Units held for acknowledged FRs awaiting shipment, and the oldest such FR.
    func awaitingShipment() async throws -> AwaitingShipment
}
