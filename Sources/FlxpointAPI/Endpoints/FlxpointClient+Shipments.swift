import Foundation

extension FlxpointClient {
    public func createShipment(_ body: ShipmentCreateRequest) async throws -> WriteOutcome {
        let endpoint = "POST /shipments"
        let request = Request(
            method: .POST, path: "/shipments", body: try JSONEncoder().encode(body), endpoint: endpoint)
        let tracking = body.shipment.trackingNumber
        let performed = try await perform(request) {
            let existing = try await shipments(frId: body.fulfillmentRequestId)
            return existing.contains { $0.trackingNumber == tracking } ? .done(()) : .notDone
        }
        guard case .response(let response) = performed else { return .reconciled }
        if (200..<300).contains(response.status) { return .confirmed }
        if !body.allowDuplicateTrackingNumbers, response.status == 400 || response.status == 409,
            response.text.lowercased().contains("duplicate tracking")
        {
            return .alreadyDone
        }
        throw failure(response, endpoint: endpoint)
    }

    public func shipments(frId: Int) async throws -> [Shipment] {
        let endpoint = "GET /shipments"
        var all: [Shipment] = []
        var page = 1
        while true {
            let request = Request(
                method: .GET, path: "/shipments",
                query: [
                    ("findByPurchaseOrderId", String(frId)), ("filterPageNumber", String(page)),
                    ("filterPageSize", "100"),
                ], endpoint: endpoint)
            guard case .response(let response) = try await perform(request) else { return all }
            guard response.status == 200 else { throw failure(response, endpoint: endpoint) }
            let batch = try decode([Shipment].self, from: response, endpoint: endpoint)
            all += batch
            if batch.count < 100 { return all }
            page += 1
        }
    }
}
