import Foundation

extension FlxpointClient {
    /// Flxpoint accepts at most this many variants per update request.
    public static let inventoryBatchSize = 50

    public func inventoryVariants(skus: [String]) async throws -> [InventoryVariant] {
        let endpoint = "GET /inventory/variants"
        var found: [InventoryVariant] = []
        // Keep URLs short: ask for SKUs in groups, each group paged.
        for group in stride(from: 0, to: skus.count, by: 50).map({ Array(skus[$0..<min($0 + 50, skus.count)]) }) {
            var page = 1
            while true {
                let query = group.map { ("skus", $0) } + [("page", String(page)), ("pageSize", "100")]
                let request = Request(method: .GET, path: "/inventory/variants", query: query, endpoint: endpoint)
                guard case .response(let response) = try await perform(request) else { break }
                guard response.status == 200 else { throw failure(response, endpoint: endpoint) }
                let batch = try decode([InventoryVariant].self, from: response, endpoint: endpoint)
                found += batch
                if batch.count < 100 { break }
                page += 1
            }
        }
        return found
    }

    public func updateInventory(_ updates: [InventoryUpdate], modifyCost: Bool) async throws {
        let endpoint = "PUT /inventory/variants"
        // What an omitted flag means is not documented, so both are always explicit.
        let query = [("modifyQuantity", "update"), ("modifyCost", modifyCost ? "update" : "none")]
        for start in stride(from: 0, to: updates.count, by: Self.inventoryBatchSize) {
            var batch = Array(updates[start..<min(start + Self.inventoryBatchSize, updates.count)])
            if !modifyCost { for index in batch.indices { batch[index].cost = nil } }
            let request = Request(
                method: .PUT, path: "/inventory/variants", query: query, body: try JSONEncoder().encode(batch),
                endpoint: endpoint)
            // Setting absolute quantities is idempotent: a repeat after a lost answer is harmless.
            guard case .response(let response) = try await perform(request) else { continue }
            guard (200..<300).contains(response.status) else { throw failure(response, endpoint: endpoint) }
        }
    }
}
