import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The stock page: counts, held, shipped, free and pushed figures; the pools.
extension ConsoleView {
    /// Stock rows shown on one page; the search narrows them.
    static let stockPerPage = 500

    /// Per SKU and location: counted, held, shipped since the count, free, last pushed; the
    /// pools and which configured sources draw on each.
    func stock(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime) async throws
        -> [String: Any]
    {
        let zone = await source.rules.current.calendar.timeZone
        let search = (query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        var context = base(
            title: sources.count > 1 ? "Stock: \(source.name)" : "Stock", person: person, source: source)
        let all = try await source.database.stockPositions()
        let matching = search.isEmpty ? all : all.filter { $0.sku.localizedCaseInsensitiveContains(search) }
        context["search"] = search
        context["rows"] = matching.prefix(Self.stockPerPage).map { position -> [String: Any] in
            [
                "sku": position.sku, "location": position.location, "counted": position.counted,
                "held": position.held, "shipped": position.shipped, "free": position.free,
                "pushed": position.pushed.map(String.init) ?? "never",
                "pushedAt": position.pushedAt.map { Self.localTime($0, zone: zone) } ?? "",
                "short": position.free == 0 && position.counted > 0,
            ]
        }
        context["shown"] =
            matching.count > Self.stockPerPage
            ? "\(Self.stockPerPage) of \(matching.count) rows (search to narrow)" : "\(matching.count) row(s)"
        let status = try await source.database.status(totals: false)
        context["counted"] =
            status.lastStockImport.map { "last count imported \(ago($0))" }
            ?? "no count imported yet"
        let known = try await source.database.knownSources()
        let pools = Dictionary(grouping: known, by: \.pool)
        context["pools"] = pools.keys.sorted().map { pool -> [String: Any] in
            ["pool": pool, "sources": (pools[pool] ?? []).map(\.name).sorted().joined(separator: ", ")]
        }
        context["pool"] = source.database.pool
        return context
    }
}
