import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The stock page: counts, held, shipped, free and pushed figures; the pools.
extension ConsoleView {
    /// Stock rows shown on one page; the search narrows them.
    static let stockPerPage = 500

    /// The stock page: positions, how many are shown, the last count, the pools.
    struct Stock: Sendable {
        var search: String
        var rows: [Row]
        var shown: String
        var counted: Moment?
        var pools: [Pool]
        var pool: String
        var kits: [KitRow]
        /// Stored, not computed: the templates see stored properties only.
        var hasKits: Bool
        var promised: [Promise]
        var hasPromised: Bool

        /// Units an FR holds from an arrival, and whether that arrival still lands in time.
        struct Promise: Sendable {
            var frId: Int
            var name: String
            var units: String
            var lands: String
            var slipped: Bool
            var state: String
        }

        /// One kit of the pool: how many its free components build, and each component.
        struct KitRow: Sendable {
            var sku: String
            var buildable: Int
            var parts: String
            var short: Bool
        }

        /// One SKU at one location.
        struct Row: Sendable {
            var sku: String
            var location: String
            var counted: Int
            var held: Int
            var shipped: Int
            var free: Int
            var pushed: String
            var pushedAt: String
            var short: Bool
        }

        /// A pool and the configured sources drawing on it.
        struct Pool: Sendable {
            var pool: String
            var sources: String
        }
    }

    /// Per SKU and location: counted, held, shipped since the count, free, last pushed; the
    /// pools and which configured sources draw on each.
    func stock(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime) async throws -> Shown {
        let zone = await source.rules.current.calendar.timeZone
        let search = (query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let all = try await source.database.stockPositions()
        let matching = search.isEmpty ? all : all.filter { $0.sku.localizedCaseInsensitiveContains(search) }
        let rows = matching.prefix(Self.stockPerPage).map { position in
            Stock.Row(
                sku: position.sku, location: position.location, counted: position.counted, held: position.held,
                shipped: position.shipped, free: position.free, pushed: position.pushed.map(String.init) ?? "never",
                pushedAt: position.pushedAt.map { Self.localTime($0, zone: zone) } ?? "",
                short: position.free == 0 && position.counted > 0)
        }
        let ledger = try await source.database.loadLedger()
        let kits = try await source.database.kitListing().kits.compactMap { kit in
            ledger.availability(ofKit: kit.sku).map {
                Stock.KitRow(sku: $0.sku, buildable: $0.buildable, parts: $0.partsText, short: $0.buildable == 0)
            }
        }
        let calendar = await source.rules.current.calendar
        let promises = try await source.database.inboundPromises()
        let frs = InboundWatch.frs(of: promises)
        let slips = InboundWatch.slips(promises, frs: frs, ledger: ledger, calendar: calendar, now: clock())
        let promised = promises.prefix(Self.stockPerPage).map { promise in
            let fr = frs[promise.frId]
            let slip = slips.first { $0.frId == promise.frId && $0.reservation == promise.reservation }
            let lands = promise.reservation.inboundAt.map { HumanTime.day($0, zone: zone) } ?? "?"
            return Stock.Promise(
                frId: promise.frId, name: fr?.displayName ?? "#\(promise.frId)",
                units: "\(promise.reservation.quantity) × \(promise.reservation.sku)",
                lands: "\(lands) at \(promise.reservation.location)", slipped: slip != nil,
                state: slip.map {
                    $0.nowExpected.map { "now \(HumanTime.day($0, zone: zone)): misses its ship-by" }
                        ?? "no longer expected: misses its ship-by"
                } ?? "in time")
        }
        let status = try await source.database.status(totals: false)
        let known = try await source.database.knownSources()
        let pools = Dictionary(grouping: known, by: \.pool)
        let page = Stock(
            search: search, rows: Array(rows),
            shown: matching.count > Self.stockPerPage
                ? "\(Self.stockPerPage) of \(matching.count) rows (search to narrow)" : "\(matching.count) row(s)",
            counted: status.lastStockImport.map { ago($0, zone: zone) },
            pools: pools.keys.sorted().map { pool in
                Stock.Pool(pool: pool, sources: (pools[pool] ?? []).map(\.name).sorted().joined(separator: ", "))
            },
            pool: source.database.pool, kits: kits, hasKits: !kits.isEmpty, promised: Array(promised),
            hasPromised: !promised.isEmpty)
        let title = sources.count > 1 ? "Stock: \(source.name)" : "Stock"
        return Shown(.stock, frame(title: title, person: person, source: source), page)
    }
}
