import FlxpointAPI
import Foundation
import FulfillmentCore

extension SandboxState {
    func createShipment(body: Data) -> SandboxReply {
        let request: ShipmentCreateRequest
        do {
            request = try JSONDecoder().decode(ShipmentCreateRequest.self, from: body)
        } catch {
            return .error(400, "bad shipment body: \(FRListDecoder.reason(error))")
        }
        let id = request.fulfillmentRequestId
        guard var fr = frs[id] else { return .error(404, "fulfillment request \(id) not found") }
        let shipment = request.shipment
        guard !shipment.trackingNumber.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .error(400, "trackingNumber is required")
        }
        guard !shipment.shipmentItems.isEmpty, shipment.shipmentItems.allSatisfy({ $0.quantity > 0 }) else {
            return .error(400, "a shipment needs at least one item with a quantity above 0")
        }
        guard shipment.shipmentItems.allSatisfy({ !$0.sku.isEmpty }) else {
            return .error(400, "every shipment item needs a sku")
        }
        if let shippedAt = shipment.shippedAt {
            do {
                _ = try Timestamp.parseInstant(shippedAt)
            } catch {
                return .error(400, "shippedAt: \(error.description)")
            }
        }
        // Like the real API: items name a SKU (and optionally the order item); the FR line
        // is found from those, never from a fulfillmentRequestItemId in the request.
        var lines: [Int] = []
        for item in shipment.shipmentItems {
            guard
                let index = fr.items.firstIndex(where: {
                    $0.sku == item.sku && (item.orderItemId == nil || $0.orderItemId == item.orderItemId)
                })
            else {
                return .error(400, "\(item.sku) is not on fulfillment request \(id)")
            }
            lines.append(index)
        }
        let existing = shipmentsByFR[id] ?? []
        if !request.allowDuplicateTrackingNumbers,
            existing.contains(where: { $0.trackingNumber == shipment.trackingNumber })
        {
            return .error(400, "duplicate tracking number \(shipment.trackingNumber) for fulfillment request \(id)")
        }
        for (index, item) in zip(lines, shipment.shipmentItems) {
            fr.items[index].shippedQuantity = (fr.items[index].shippedQuantity ?? 0) + item.quantity
        }
        update(fr, at: Date())
        let items = zip(lines, shipment.shipmentItems).map { index, item in
            ShipmentItem(
                sku: item.sku, quantity: item.quantity, orderItemId: fr.items[index].orderItemId,
                fulfillmentRequestItemId: fr.items[index].id)
        }
        let record = Shipment(
            id: nextShipmentId, fulfillmentRequestId: id, trackingNumber: shipment.trackingNumber,
            carrier: shipment.carrier, method: shipment.method, shippedAt: shipment.shippedAt, shipmentItems: items)
        nextShipmentId += 1
        shipmentsByFR[id, default: []].append(record)
        return .json(record, status: 201)
    }

    func listShipments(_ query: [String: [String]], maxPageSize: Int) -> SandboxReply {
        let page = Int(query["filterPageNumber"]?.first ?? "1") ?? 0
        let size = Int(query["filterPageSize"]?.first ?? "100") ?? 0
        guard page >= 1, (1...maxPageSize).contains(size) else {
            return .error(400, "filterPageNumber must be from 1 and filterPageSize from 1 to \(maxPageSize)")
        }
        let frId = (query["findByPurchaseOrderId"] ?? query["filterFulfillmentRequestId"])?.first.flatMap { Int($0) }
        let all = frId.map { shipmentsByFR[$0] ?? [] } ?? shipmentsByFR.values.flatMap { $0 }.sorted { $0.id < $1.id }
        return .json(Array(all.dropFirst((page - 1) * size).prefix(size)))
    }

    /// Shipments recorded for an FR.
    public func shipments(frId: Int) -> [Shipment] { shipmentsByFR[frId] ?? [] }

    // MARK: Inventory

    func listVariants(_ query: [String: [String]]) -> SandboxReply {
        let page = Int(query["page"]?.first ?? "1") ?? 0
        let size = Int(query["pageSize"]?.first ?? "100") ?? 0
        guard page >= 1, (1...500).contains(size) else {
            return .error(400, "page must be from 1 and pageSize from 1 to 500")
        }
        let skus = query["skus"] ?? []
        let matching = (skus.isEmpty ? Array(variants.values) : skus.compactMap { variants[$0] }).sorted {
            $0.sku < $1.sku
        }
        return .json(Array(matching.dropFirst((page - 1) * size).prefix(size)))
    }

    func updateVariants(_ query: [String: [String]], body: Data) -> SandboxReply {
        guard query["modifyQuantity"]?.first == "update" else {
            return .error(400, "modifyQuantity=update is required")
        }
        let updates: [InventoryUpdate]
        do {
            updates = try JSONDecoder().decode([InventoryUpdate].self, from: body)
        } catch {
            return .error(400, "bad inventory body: \(FRListDecoder.reason(error))")
        }
        guard updates.count <= 50 else { return .error(400, "at most 50 variants per request, got \(updates.count)") }
        let byId = Dictionary(variants.values.map { ($0.inventoryVariantId, $0.sku) }, uniquingKeysWith: { a, _ in a })
        for update in updates {
            guard let sku = byId[update.inventoryVariantId] else {
                return .error(400, "unknown inventoryVariantId \(update.inventoryVariantId)")
            }
            guard update.quantity >= 0 else { return .error(400, "quantity for \(sku) must not be negative") }
        }
        guard let costFlag = query["modifyCost"]?.first, ["none", "update", "updateNonNull"].contains(costFlag) else {
            return .error(400, "modifyCost must be none, update or updateNonNull")
        }
        let modifyCost = costFlag != "none"
        inventoryUpdates += 1
        for update in updates {
            guard let sku = byId[update.inventoryVariantId] else { continue }
            variants[sku]?.quantity = update.quantity
            if modifyCost, let cost = update.cost { variants[sku]?.cost = cost }
        }
        return .json(["updated": updates.count])
    }

    /// The quantity Flxpoint holds for a SKU.
    public func variant(sku: String) -> InventoryVariant? { variants[sku] }
}
