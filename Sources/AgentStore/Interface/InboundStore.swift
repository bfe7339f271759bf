import Foundation
import FulfillmentCore

/// Each pool's stock on its way, as imported from the warehouse's purchase orders and
/// transfers: the pool's ledger carries the arrivals not yet counted.
public protocol InboundStore: Sendable {
    /// Replaces every expected arrival of the pool (this source's unless `pool` names another)
    /// with `inbound`, in one transaction.
    func replaceInbound(_ inbound: [InboundStock], source file: String, pool: String?, at now: Date) async throws
    /// The pool's expected arrivals as the file gave them, with when and from which file.
    func inboundListing() async throws -> InboundListing
    /// This source's units still held from stock on its way, with their FR as last read, in
    /// the order they were promised: what the slip check looks at.
    func inboundPromises() async throws -> [InboundPromise]
}

/// Units held for an FR from an arrival (`from: inbound`), with the FR as last read.
public struct InboundPromise: Sendable, Equatable {
    /// The FR's id.
    public var frId: Int
    /// The FR's JSON as last read (its ship-by, its number).
    public var frJSON: String
    /// The units, where, and the arrival they were promised from.
    public var reservation: StockReservation

    /// An `InboundPromise` from its parts.
    public init(frId: Int, frJSON: String, reservation: StockReservation) {
        self.frId = frId
        self.frJSON = frJSON
        self.reservation = reservation
    }
}

/// A pool's stock on its way and where it came from.
public struct InboundListing: Sendable, Equatable {
    /// The arrivals, in the order of the file.
    public var rows: [InboundStock]
    /// When they were imported; nil when the pool has none.
    public var importedAt: Date?
    /// The file they came from.
    public var file: String?

    /// An `InboundListing` from its parts.
    public init(rows: [InboundStock], importedAt: Date?, file: String?) {
        self.rows = rows
        self.importedAt = importedAt
        self.file = file
    }
}
