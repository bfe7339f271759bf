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
