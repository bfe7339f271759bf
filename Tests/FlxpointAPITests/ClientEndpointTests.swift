import AgentTesting
import AsyncHTTPClient
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import NIOCore
import NIOHTTP1
import Testing

@Suite("Flxpoint client against the sandbox")
struct ClientEndpointTests {
    @Test("pages through 1,000 FRs, one page at a time")
    func paging() async throws {
        try await Harness.withSandbox(frs: Harness.frs(1000)) { url, state in
            let client = Harness.client(url)
            var ids: [Int] = []
            var pages = 0
            for try await page in client.fulfillmentRequestPages(
                FRQuery(statuses: [], isAcknowledged: nil, pageSize: 100))
            {
                pages += 1
                ids += try page.map { try $0.get().id }
                #expect(await state.stats().requests == pages)  // fetched lazily, not ahead
            }
            #expect(ids == Array(50_001...51_000))
            #expect(pages == 10)
            #expect(await state.stats().requests == 11)  // the last, empty page ends the stream
        }
    }

    @Test("the polling filter returns only open, unacknowledged FRs")
    func pollingFilter() async throws {
        try await Harness.withSandbox(frs: Harness.frs(30)) { url, _ in
            let client = Harness.client(url)
            #expect(try await client.acknowledge(frId: 50_001) == .confirmed)
            var open: [Int] = []
            for try await page in client.fulfillmentRequestPages(.open) { open += try page.map { try $0.get().id } }
            #expect(open == Array(50_002...50_030))
            var later: [Int] = []
            for try await page in client.fulfillmentRequestPages(FRQuery(sinceId: 50_025)) {
                later += try page.map { try $0.get().id }
            }
            #expect(later == Array(50_026...50_030))
        }
    }

    @Test("acknowledge, adjust, shipments and inventory do what Flxpoint does")
    func endpoints() async throws {
        var frs = Harness.frs(3)
        frs[1].items = [
            FulfillmentRequestItem(id: 1, sku: "A", quantity: 3, inventoryVariantId: 880_001),
            FulfillmentRequestItem(id: 2, sku: "A", quantity: 2, inventoryVariantId: 880_001),
        ]
        let shippedSku = try #require(frs[2].items.first?.sku)
        let seeded = frs
        try await Harness.withSandbox(frs: frs) { url, state in
            let client = Harness.client(url)
            #expect(try await client.fulfillmentRequest(id: 50_001).id == 50_001)
            #expect(try await client.acknowledge(frId: 50_001) == .confirmed)
            #expect(try await client.acknowledge(frId: 50_001) == .alreadyDone)
            #expect(try await client.fulfillmentRequest(id: 50_001).status == "Acknowledged")

            let split = AdjustRequest(
                items: [
                    .init(id: 1, sku: "A", acknowledgedQuantity: 3, cancelledQuantity: 0),
                    .init(id: 2, sku: "A", acknowledgedQuantity: 0, cancelledQuantity: 2),
                ], killOrFillType: "fill")
            #expect(try await client.adjust(frId: 50_002, split) == .confirmed)
            let adjusted = try await client.fulfillmentRequest(id: 50_002)
            #expect(adjusted.items.map(\.acknowledgedQuantity) == [3, 0])
            #expect(adjusted.items.map(\.voidedQuantity) == [0, 2])
            await #expect(throws: FlxpointError.self) { try await client.adjust(frId: 50_002, split) }
            let bySku = AdjustRequest(
                items: [.init(id: nil, sku: "A", acknowledgedQuantity: 1, cancelledQuantity: 0)], killOrFillType: "fill"
            )
            do {
                _ = try await client.adjust(frId: 50_002, bySku)
                Issue.record("a repeated SKU without item id must be refused")
            } catch let error as FlxpointError {
                #expect(error.description.contains("repeats on fulfillment request 50002: send the item id"))
                #expect(error.isPermanentRefusal)
            }

            let sku = shippedSku
            let shipment = ShipmentCreateRequest(
                fulfillmentRequestId: 50_003,
                shipment: ShipmentBody(
                    trackingNumber: "1Z999", carrier: "UPS", method: "Ground", shippedAt: "2026-11-27T20:00:00Z",
                    shipmentItems: [ShipmentItem(sku: sku, quantity: 1)]))
            #expect(try await client.createShipment(shipment) == .confirmed)
            #expect(try await client.createShipment(shipment) == .alreadyDone)
            #expect(try await client.shipments(frId: 50_003).map(\.trackingNumber) == ["1Z999"])
            var zoneless = shipment
            zoneless.shipment.trackingNumber = "1Z998"
            zoneless.shipment.shippedAt = "2026-11-27T20:00:00"
            do {
                _ = try await client.createShipment(zoneless)
                Issue.record("a zone-less timestamp must be refused")
            } catch let error as FlxpointError {
                #expect(error.description.contains("has no time zone"))
            }

            let variants = try await client.inventoryVariants(skus: ["A", sku, "NOPE"])
            #expect(Set(variants.map(\.sku)) == ["A", sku])
            let before = await state.stats().requests
            let updates = (0..<120).map {
                InventoryUpdate(inventoryVariantId: variants[0].inventoryVariantId, sku: variants[0].sku, quantity: $0)
            }
            try await client.updateInventory(updates, modifyCost: false)
            #expect(await state.stats().requests - before == 3)  // 50 + 50 + 20
            #expect(await state.variant(sku: variants[0].sku)?.quantity == 119)

            await #expect(throws: FlxpointError.notFound(endpoint: "GET /fulfillment-requests/{id}")) {
                try await client.fulfillmentRequest(id: 1)
            }
            // Cancelling an FR we acknowledged contradicts the first answer: Flxpoint refuses it, and only
            // the first answer counts as accepted.
            let cancel = AdjustRequest(
                items: seeded[0].items.map {
                    .init(id: $0.id, sku: $0.sku, acknowledgedQuantity: 0, cancelledQuantity: $0.quantity)
                },
                killOrFillType: "fill")
            await #expect(throws: FlxpointError.self) { try await client.adjust(frId: 50_001, cancel) }
            let stats = await state.stats()
            #expect(stats.answers["50001"] == 1 && stats.refused["50001"] == 2)
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
        }
    }

    @Test("the sandbox validates like a real server: 405, bad bodies, page size (a large one capped silently)")
    func validation() async throws {
        try await Harness.withSandbox(frs: Harness.frs(2)) { url, _ in
            func raw(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (Int, String) {
                var request = HTTPClientRequest(url: url + path)
                request.method = method
                request.headers.add(name: "X-API-TOKEN", value: Harness.token)
                if let body { request.body = .bytes(.init(string: body)) }
                // Only a hang fails here: the in-process sandbox shares a machine the whole suite loads.
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                return (Int(response.status.code), text)
            }
            let wrongMethod = try await raw(.DELETE, "/fulfillment-requests/50001/acknowledge")
            #expect(wrongMethod.0 == 405)
            #expect(try await raw(.POST, "/fulfillment-requests/50001/adjust", body: "{").0 == 400)
            #expect(try await raw(.GET, "/fulfillment-requests?filterPageSize=0").0 == 400)
            let capped = try await raw(.GET, "/fulfillment-requests?filterPageSize=501")  // capped silently at 500
            #expect(capped.0 == 200)
            #expect(try await raw(.GET, "/fulfillment-requests/abc").0 == 400)
            #expect(try await raw(.GET, "/nothing-here").0 == 404)
            let tooMany =
                "["
                + (0..<51).map { _ in #"{"inventoryVariantId": 1, "sku": "A", "quantity": 1}"# }.joined(separator: ",")
                + "]"
            let batch = try await raw(.PUT, "/inventory/variants?modifyQuantity=update", body: tooMany)
            #expect(batch.0 == 400 && batch.1.contains("at most 50"))
            let exceed =
                #"{"items": [{"id": 500010, "acknowledgedQuantity": 99, "cancelledQuantity": 0}], "killOrFillType": "fill"}"#
            let exceeded = try await raw(.POST, "/fulfillment-requests/50001/adjust", body: exceed)
            #expect(exceeded.0 == 400 && exceeded.1.contains("exceeds"), "\(exceeded.1)")
        }
    }

    @Test("a malformed FR in a page comes back as a failure with its id and path")
    func malformedInPage() async throws {
        let seed = SandboxSeed.generate(count: 20, now: Harness.now, malformedRate: 0.3)
        #expect(!seed.malformed.isEmpty)
        try await Harness.withSandbox(frs: seed.frs, malformed: seed.malformed) { url, _ in
            var good = 0
            var bad: [FRDecodeFailure] = []
            for try await page in Harness.client(url).fulfillmentRequestPages(.open) {
                for entry in page {
                    switch entry.result {
                    case .success: good += 1
                    case .failure(let failure): bad.append(failure)
                    }
                }
            }
            #expect(good + bad.count == 20)
            #expect(Set(bad.compactMap(\.frId)) == Set(seed.malformed.keys))
            #expect(bad.allSatisfy { $0.path == "fulfillmentRequestItems[0].quantity" })
        }
    }
}

extension String {
    init(buffer: NIOCore.ByteBuffer) {
        self = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) ?? ""
    }
}
