import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

@Suite("Sandbox control plane and shipment rules")
struct SandboxControlPlaneTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("FRs added at run time are served as given, and still as given (answers applied) once acknowledged")
    func addedFRs() async throws {
        try await Harness.withSandbox(frs: []) { url, state in
            let given = """
                [{"id": 3001, "fulfillmentRequestNumber": "FR-3001", "channel": {"name": "Shop", "code": "shop"},
                  "fulfillmentRequestStatus": {"name": "Processing"}, "channelNote": "kept as is",
                  "fulfillmentRequestItems": [{"id": 1, "sku": "A", "quantity": 2, "orderItemId": 77,
                                               "customField": [1, 2]}]},
                 {"id": 3002, "fulfillmentRequestItems": [{"id": 2, "sku": "B", "quantity": "two"}]},
                 {"fulfillmentRequestItems": []}]
                """
            let refused = await HTTPProbe.post(url + "/_sandbox/fulfillment-requests", json: Data(given.utf8))
            #expect(refused?.status == 400 && refused?.body.contains("FR 2 has no id") == true)
            #expect(await state.fulfillmentRequest(id: 3001) == nil)  // all or nothing
            let valid = String(given[..<given.range(of: ",\n {\"fulfillmentRequestItems\"")!.lowerBound]) + "]"
            let added = await HTTPProbe.post(url + "/_sandbox/fulfillment-requests", json: Data(valid.utf8))
            #expect(added?.status == 201 && added?.body == #"{"added":[3001,3002]}"#)

            let client = Harness.client(url)
            var entries: [FRPageEntry] = []
            for try await page in client.fulfillmentRequestPages(FRQuery(statuses: [], isAcknowledged: nil)) {
                entries += page
            }
            #expect(entries.count == 2)
            #expect(try entries[0].get().number == "FR-3001")
            let served = try Self.json(entries[0].rawJSON)
            let original = try Self.json(
                String(valid.dropFirst().dropLast()).components(separatedBy: ",\n {\"id\": 3002")[0])
            #expect(served == original)
            guard case .failure(let failure) = entries[1].result else {
                Issue.record("FR 3002 must be served malformed")
                return
            }
            #expect(failure.path == "fulfillmentRequestItems[0].quantity")

            #expect(try await client.acknowledge(frId: 3001) == .confirmed)
            let after = await HTTPProbe.get(url + "/_sandbox/fulfillment-requests")
            let all = try JSONDecoder().decode([JSONValue].self, from: Data((after?.body ?? "").utf8))
            guard case .object(let fr)? = all.first, case .array(let items)? = fr["fulfillmentRequestItems"],
                case .object(let line)? = items.first
            else {
                Issue.record("unexpected listing \(after?.body ?? "")")
                return
            }
            #expect(fr["channelNote"] == .string("kept as is"))
            #expect(fr["channel"] == (try Self.json(#"{"name": "Shop", "code": "shop"}"#)))
            #expect(fr["fulfillmentRequestStatus"] == (try Self.json(#"{"name": "Acknowledged"}"#)))
            #expect(line["acknowledgedQuantity"] == .number(2) && line["customField"] != nil)
            #expect(await state.fulfillmentRequest(id: 3001)?.acknowledgedAt != nil)
        }
    }

    @Test("void, variants and shipment validation as the real API; stats count shipped units and inventory updates")
    func voidVariantsShipments() async throws {
        let frs = Harness.frs(2)
        try await Harness.withSandbox(frs: frs) { url, state in
            #expect(await HTTPProbe.post(url + "/_sandbox/fulfillment-requests/50002/void")?.status == 200)
            #expect(await state.fulfillmentRequest(id: 50_002)?.status == "Voided")
            #expect(await HTTPProbe.post(url + "/_sandbox/fulfillment-requests/1/void")?.status == 404)

            let created = await HTTPProbe.post(
                url + "/_sandbox/inventory/variants",
                json: Data(#"[{"sku": "NEW-1", "quantity": 4, "cost": 1.5}]"#.utf8))
            #expect(created?.status == 201)
            let listed = await HTTPProbe.get(url + "/_sandbox/inventory/variants")
            let variants = try JSONDecoder().decode([InventoryVariant].self, from: Data((listed?.body ?? "").utf8))
            #expect(variants.contains { $0.sku == "NEW-1" && $0.quantity == 4 && $0.cost == 1.5 })

            let client = Harness.client(url, attempts: 1)
            let item = frs[0].items[0]
            let sku = try #require(item.sku)
            func create(_ items: [ShipmentItem], tracking: String) async throws -> WriteOutcome {
                try await client.createShipment(
                    ShipmentCreateRequest(
                        fulfillmentRequestId: 50_001,
                        shipment: ShipmentBody(
                            trackingNumber: tracking, carrier: "UPS", method: nil, shippedAt: nil, shipmentItems: items)
                    ))
            }
            #expect(
                try await create([ShipmentItem(sku: sku, quantity: 1, orderItemId: item.orderItemId)], tracking: "T1")
                    == .confirmed)
            #expect(try await create([ShipmentItem(sku: sku, quantity: 1)], tracking: "T1") == .alreadyDone)
            await #expect(throws: FlxpointError.self) {
                try await create([ShipmentItem(sku: sku, quantity: 1, orderItemId: 1)], tracking: "T2")
            }
            await #expect(throws: FlxpointError.self) { try await create([], tracking: "T3") }
            // An item without a SKU is not a valid create body.
            let noSku =
                #"{"fulfillmentRequestId": 50001, "allowDuplicateTrackingNumbers": false, "#
                + #""shipment": {"trackingNumber": "T4", "shipmentItems": [{"quantity": 1}]}}"#
            let refused = await HTTPProbe.post(url + "/shipments", json: Data(noSku.utf8), token: Harness.token)
            #expect(refused?.status == 400 && refused?.body.contains("every shipment item needs a sku") == true)
            let listedShipments = try await client.shipments(frId: 50_001)
            #expect(listedShipments.map(\.trackingNumber) == ["T1"])
            #expect(listedShipments[0].shipmentItems[0].fulfillmentRequestItemId == item.id)
            #expect(listedShipments[0].shipmentItems[0].orderItemId == item.orderItemId)

            try await client.updateInventory(
                [
                    InventoryUpdate(
                        inventoryVariantId: variants[0].inventoryVariantId, sku: variants[0].sku, quantity: 9)
                ],
                modifyCost: false)
            let stats = await state.stats()
            #expect(stats.shipments == 1 && stats.shippedUnits == ["50001": 1] && stats.inventoryUpdates == 1)
            #expect(await state.requestLog().last?.path == "/inventory/variants")
        }
    }
}

@Suite("Sandbox faults and upstream changes")
struct SandboxFaultTests {
    static func put(_ url: String, _ json: String) async -> (status: Int, body: String)? {
        await HTTPProbe.post(url + "/_sandbox/faults", json: Data(json.utf8), method: "PUT")
    }

    @Test("faults change at run time: force_status by scope, fail_after_apply applies then answers 503")
    func faultsAtRunTime() async throws {
        try await Harness.withSandbox(frs: Harness.frs(3)) { url, state in
            let client = Harness.client(url, attempts: 1)
            #expect(await Self.put(url, #"{"force_status": 403, "scope": "writes"}"#)?.status == 200)
            let shown = await HTTPProbe.get(url + "/_sandbox/faults")
            #expect(
                shown?.body.contains(#""force_status":403"#) == true
                    && shown?.body.contains(#""scope":"writes""#) == true)
            _ = try await client.fulfillmentRequest(id: 50_001)  // reads are out of scope
            await #expect(throws: FlxpointError.self) { try await client.acknowledge(frId: 50_001) }
            #expect(await state.fulfillmentRequest(id: 50_001)?.acknowledgedAt == nil)

            #expect(await Self.put(url, #"{"force_status": null, "fail_after_apply_rate": 1}"#)?.status == 200)
            let raw = await HTTPProbe.post(
                url + "/fulfillment-requests/50002/acknowledge", token: Harness.token, method: "PATCH")
            #expect(raw?.status == 503)
            #expect(await state.fulfillmentRequest(id: 50_002)?.acknowledgedAt != nil)  // applied all the same
            #expect(await state.stats().answers == ["50002": 1])

            #expect(await Self.put(url, #"{"fail_after_apply_rate": 0, "bogus": 1}"#)?.status == 400)
            #expect(await Self.put(url, #"{"scope": "sometimes"}"#)?.status == 400)
        }
    }

    @Test("stats count accepted and refused answers apart; a refused second answer is no duplicate")
    func acceptedAndRefused() async throws {
        try await Harness.withSandbox(frs: Harness.frs(2)) { url, state in
            let client = Harness.client(url)
            let first = try await client.acknowledge(frId: 50_001)
            let second = try await client.acknowledge(frId: 50_001)  // refused: already acknowledged
            #expect(first == .confirmed && second == .alreadyDone)
            _ = await HTTPProbe.post(url + "/_sandbox/fulfillment-requests/50002/void")
            await #expect(throws: FlxpointError.self) { try await client.acknowledge(frId: 50_002) }
            let stats = await state.stats()
            #expect(stats.answers == ["50001": 1])
            #expect(stats.refused == ["50001": 1, "50002": 1])
            #expect(stats.duplicates == 0)
        }
    }

    @Test("PATCH changes an FR upstream (items merge by id); lagging reads show a write only after the lag")
    func patchAndReadLag() async throws {
        try await Harness.withSandbox(frs: Harness.frs(1)) { url, state in
            let client = Harness.client(url)
            let before = try await client.fulfillmentRequest(id: 50_001)
            let itemId = try #require(before.items.first?.id)
            let patch = #"{"note": "rush", "fulfillmentRequestItems": [{"id": \#(itemId), "quantity": 20}]}"#
            let patched = await HTTPProbe.post(
                url + "/_sandbox/fulfillment-requests/50001", json: Data(patch.utf8), method: "PATCH")
            #expect(patched?.status == 200)
            let after = try await client.fulfillmentRequest(id: 50_001)
            #expect(after.items.first?.quantity == 20 && after.items.count == before.items.count)
            #expect(after.items.first?.sku == before.items.first?.sku)

            // A lag no loaded machine outlasts, then none: a read shows the write once the lag,
            // counted from the write at each read, has passed.
            #expect(await Self.put(url, #"{"read_lag_ms": 600000}"#)?.status == 200)
            #expect(try await client.acknowledge(frId: 50_001) == .confirmed)
            #expect(try await client.fulfillmentRequest(id: 50_001).acknowledgedAt == nil)  // not yet visible
            #expect(await Self.put(url, #"{"read_lag_ms": 0}"#)?.status == 200)
            #expect(try await client.fulfillmentRequest(id: 50_001).acknowledgedAt != nil)
            #expect(await state.fulfillmentRequest(id: 50_001)?.acknowledgedAt != nil)
        }
    }
}
