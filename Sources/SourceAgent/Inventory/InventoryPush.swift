// Inventory: pushing promisable stock (and cost) to Flxpoint.

import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Tells Flxpoint how many units of each SKU it may sell: the same promisable figure new FRs
/// are decided against (on hand, less held, less shipped since the snapshot, less safety stock),
/// for the source's whole pool, capped at `maxShare` of it when several retailers share a pool.
public struct InventoryPush: Sendable {
    let database: any SourceStore
    let api: any FlxpointSourceAPI
    let logger: Logger
    let clock: @Sendable () -> Date
    /// This source's share of the pool's free units, rounded down; nil: all of them.
    let maxShare: Double?

    public init(
        database: any SourceStore, api: any FlxpointSourceAPI, logger: Logger, maxShare: Double? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.api = api
        self.logger = logger
        self.maxShare = maxShare
        self.clock = clock
    }

    /// What this source may offer of `free` units.
    func offered(_ free: Int) -> Int {
        guard let maxShare else { return free }
        return Int((Double(free) * maxShare).rounded(.down))
    }

    /// One SKU's figure and whether it needs sending.
    public struct Entry: Sendable, Equatable {
        public var sku: String
        public var variantId: Int
        public var quantity: Int
        public var cost: Double?
        /// What the last successful push sent, if any.
        public var previous: PushedFigure?
    }

    /// What a push would send, and the SKUs Flxpoint has no variant for.
    public struct Plan: Sendable, Equatable {
        public var entries: [Entry]
        public var unknownSKUs: [String]
        /// SKUs whose figure has not changed since the last push.
        public var unchanged: Int
    }

    /// Works out the figures, sending only those that changed unless `all`; variant ids come
    /// from the cache, and Flxpoint is asked only for SKUs the cache does not know.
    /// With `inboundWithin`, a SKU's figure adds its unpromised units on their way that land
    /// within that many seconds (Flxpoint may sell them; the rules promise them only `from: inbound`).
    public func plan(safetyStock: Int, includeCost: Bool, all: Bool, inboundWithin: TimeInterval? = nil)
        async throws -> Plan
    {
        let ledger = try await database.loadLedger()
        let previous = try await database.pushedFigures()
        let costs = await includeCost ? try database.stockCosts() : [:]
        let horizon = inboundWithin.map { clock().addingTimeInterval($0) }
        func landing(_ sku: String) -> Int {
            guard let horizon else { return 0 }
            return ledger.arrivals(of: sku).filter { $0.expectedAt <= horizon }.reduce(0) { $0 + $1.free }
        }
        // A SKU pushed before but gone from the snapshot now has nothing on hand. A kit is
        // offered as the kits its free components build, at its components' summed cost.
        let skus = ledger.sellableSKUs.union(previous.keys).sorted()
        var changed: [(sku: String, figure: PushedFigure)] = []
        var unchanged = 0
        for sku in skus {
            let figure = PushedFigure(
                quantity: offered(ledger.sellable(sku: sku, safetyStock: safetyStock) + landing(sku)),
                cost: includeCost ? ledger.kits.cost(of: sku, costs: costs) : nil)
            let last = previous[sku]
            if !all, let last, last.quantity == figure.quantity, !includeCost || last.cost == figure.cost {
                unchanged += 1
                continue
            }
            changed.append((sku, figure))
        }
        var ids = try await database.variantIds(for: changed.map(\.sku))
        let missing = changed.map(\.sku).filter { ids[$0] == nil }
        if !missing.isEmpty {
            let wanted = Set(missing)
            var found: [String: Int] = [:]
            for variant in try await api.inventoryVariants(skus: missing) where wanted.contains(variant.sku) {
                found[variant.sku] = variant.inventoryVariantId
            }
            try await database.cacheVariantIds(found, at: clock())
            ids.merge(found) { $1 }
        }
        let entries = changed.compactMap { change in
            ids[change.sku].map {
                Entry(
                    sku: change.sku, variantId: $0, quantity: change.figure.quantity, cost: change.figure.cost,
                    previous: previous[change.sku])
            }
        }
        return Plan(entries: entries, unknownSKUs: missing.filter { ids[$0] == nil }, unchanged: unchanged)
    }

    /// What a push did.
    public struct Report: Sendable, Equatable {
        public var pushed = 0
        public var requests = 0
    }

    /// Sends the plan, 50 SKUs a request, recording each accepted batch so a failure part-way
    /// resends only what Flxpoint did not take.
    public func push(_ plan: Plan, includeCost: Bool, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in })
        async throws -> Report
    {
        var report = Report()
        let batchSize = FlxpointClient.inventoryBatchSize
        for start in stride(from: 0, to: plan.entries.count, by: batchSize) {
            let batch = plan.entries[start..<min(start + batchSize, plan.entries.count)]
            // A plan made without cost carries none, and the client sends cost only with modifyCost.
            let updates = batch.map {
                InventoryUpdate(inventoryVariantId: $0.variantId, sku: $0.sku, quantity: $0.quantity, cost: $0.cost)
            }
            try await api.updateInventory(updates, modifyCost: includeCost)
            var accepted: [String: PushedFigure] = [:]
            for entry in batch { accepted[entry.sku] = PushedFigure(quantity: entry.quantity, cost: entry.cost) }
            try await database.recordPushed(accepted, at: clock())
            report.requests += 1
            report.pushed += batch.count
            progress(report.pushed, plan.entries.count)
        }
        if !plan.unknownSKUs.isEmpty {
            logger.warning(
                "Flxpoint has no inventory variant for some SKUs; they were not pushed",
                metadata: [
                    "inventory.unknown_count": "\(plan.unknownSKUs.count)",
                    "inventory.unknown": "\(plan.unknownSKUs.prefix(20).joined(separator: ","))",
                ])
        }
        logger.info(
            "inventory pushed",
            metadata: ["inventory.pushed": "\(report.pushed)", "inventory.requests": "\(report.requests)"])
        return report
    }
}
