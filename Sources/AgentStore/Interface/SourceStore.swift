// Interface: the store the agent is written against, one protocol per table; every engine passes the same contract
// suite.

import Foundation
import FulfillmentCore

/// Everything the agent keeps, for one source: the store interface the cycle, the outbox, the
/// commands and the console are written against. `AgentDatabase` (SQLite through GRDB, on a
/// file or in memory) is one engine behind it; the contract suite in `AgentStoreTests` runs
/// against every engine, so the next one joins it unchanged.
///
/// Each part is its own protocol, by table, so a reader finds what the agent needs of FRs,
/// decisions, answers or stock in one short list.
public typealias SourceStore =
    SourceDirectory & FRStore & DecisionStore & HoldStore & OutboxStore & ReservationStore & ShipmentStore
    & StockStore & KitStore & InboundStore & InventoryStore & AlertStore & CycleStore & HistoryStore & ConsoleStore
    & FleetStore

/// The sources a store knows and the views scoped to each.
public protocol SourceDirectory: Sendable {
    /// The source every FR-keyed call is about (FR ids are unique only within one account).
    var source: String { get }
    /// The stock pool the source draws on.
    var pool: String { get }
    /// The same store seen as `source`, drawing on `pool`; records the source's pool, which is
    /// how the pool's ledger finds every reservation made against it.
    func scoped(to source: String, pool: String) async throws -> Self
    /// The same store seen as `source`, with the pool it was last given (or the default).
    func scoped(to source: String) async throws -> Self
    /// Every source the store knows, with its pool.
    func knownSources() async throws -> [(name: String, pool: String)]
    /// The sources that have polled or been polled into this store, by name.
    func activeSources() async throws -> [String]
    /// Problems with the stored data itself (corruption, broken references); empty when sound.
    func integrityProblems() async throws -> [String]
    /// Times no process could have written (an answer's or an alert's next try, a lease's
    /// expiry, a request slot further ahead than any back-off or lease allows) reset to now, so
    /// a damaged value never stalls the agent. One line per table repaired, for the log.
    func repairImpossibleTimes(at now: Date) async throws -> [String]
}
