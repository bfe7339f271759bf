import Foundation
import Testing

@testable import FulfillmentCore

@Suite("FR decoding")
struct FRDecodingTests {
    @Test("all eleven sample FRs decode with their fields")
    func sample() throws {
        let frs = try RepositoryFiles.sampleFRs()
        #expect(frs.map(\.id) == Array(1001...1011))
        let first = frs[0]
        #expect(first.number == "FR-1001")
        #expect(first.orderId == 10001 && first.sourceId == 77)
        #expect(first.status == "Processing")
        #expect(first.shipBy == .day(LocalDate("2026-12-02")!))
        #expect(first.generatedAt == Build.instant("2026-11-26T15:00:00Z"))
        #expect(first.shippingMethod == "Ground" && first.carrier == "UPS")
        #expect(first.shippingAddress?.stateCode == "TX" && first.shippingAddress?.postal == "78701")
        #expect(
            first.items == [
                FulfillmentRequestItem(
                    id: 1, sku: "SKU-RED", title: "Red widget", quantity: 2, cost: 4.25, acknowledgedQuantity: 0,
                    shippedQuantity: 0, voidedQuantity: 0, inventoryVariantId: 880001, orderItemId: 700001, weight: 1.0)
            ])
        #expect(frs[10].items.map(\.sku) == ["SKU-RED", "SKU-RED"])
        #expect(frs[6].shipBy == .day(LocalDate("2026-11-20")!))
    }

    @Test("an FR survives an encode and decode round trip")
    func roundTrip() throws {
        for fr in try RepositoryFiles.sampleFRs() {
            let data = try JSONEncoder().encode(fr)
            #expect(try FRListDecoder.decodeOne(data) == fr)
        }
    }

    @Test("tolerant: unknown fields, numbers as strings, other ship-by names, date-times")
    func tolerant() throws {
        let json = """
            [{"id": "12", "fulfillmentRequestItems": [{"quantity": 2.0, "sku": 123, "cost": "4.5"}],
              "shippingAddress": {"postal": 78701, "newField": {"x": 1}}, "shipByDate": "2026-12-01T18:00:00+01:00",
              "somethingNew": [1, 2, 3]},
             {"id": 13, "fulfillmentRequestItems": [], "requiredShipDate": "2026-12-03", "fulfillmentRequestStatus": null},
             {"id": 14, "fulfillmentRequestItems": [{"quantity": 1}], "dueDate": null, "shipByDate": "2026-12-05"}]
            """
        let frs = try FRListDecoder.decode(Data(json.utf8)).map { try $0.get() }
        #expect(frs[0].id == 12)
        #expect(frs[0].items[0].quantity == 2 && frs[0].items[0].sku == "123" && frs[0].items[0].cost == 4.5)
        #expect(frs[0].shippingAddress?.postal == "78701")
        #expect(frs[0].shipBy == .instant(Build.instant("2026-12-01T17:00:00Z")))
        #expect(frs[1].shipBy == .day(LocalDate("2026-12-03")!) && frs[1].status == nil)
        #expect(frs[2].shipBy == .day(LocalDate("2026-12-05")!))
    }

    @Test(
        "a malformed FR is reported with its id and JSON path; the others decode",
        arguments: [
            (
                #"{"id": 7, "fulfillmentRequestItems": [{"sku": "A"}]}"#, 7, "fulfillmentRequestItems[0].quantity",
                "required field is missing"
            ),
            (
                #"{"id": 7, "fulfillmentRequestItems": [{"quantity": "one"}]}"#, 7,
                "fulfillmentRequestItems[0].quantity", "expected a whole number"
            ),
            (
                #"{"id": 7, "fulfillmentRequestItems": [{"quantity": -1}]}"#, 7, "fulfillmentRequestItems[0].quantity",
                "quantity -1 is negative"
            ),
            (
                #"{"id": 7, "generatedAt": "2026-11-26T15:00:00"}"#, 7, "generatedAt",
                "'2026-11-26T15:00:00' has no time zone; add Z or an offset such as -06:00"
            ),
            (#"{"id": 7, "dueDate": "soon"}"#, 7, "dueDate", "'soon' is not an ISO 8601 date or date-time"),
            (#"{"fulfillmentRequestItems": []}"#, nil, "id", "required field is missing"),
            (#"{"id": 7, "shippingAddress": "12 Main St"}"#, 7, "shippingAddress", "expected an object"),
            (#"[1, 2]"#, nil, "", "expected an object"),
        ] as [(String, Int?, String, String)])
    func malformed(element: String, id: Int?, path: String, message: String) throws {
        let json = "[{\"id\": 1, \"fulfillmentRequestItems\": []}, \(element), {\"id\": 3}]"
        let results = try FRListDecoder.decode(Data(json.utf8))
        #expect(results.count == 3)
        #expect((try? results[0].get())?.id == 1)
        #expect((try? results[2].get())?.id == 3)
        guard case .failure(let failure) = results[1] else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.index == 1)
        #expect(failure.frId == id)
        #expect(failure.path == path)
        #expect(failure.message.hasPrefix(message), "\(failure.message)")
        #expect(
            try JSONDecoder().decode(JSONValue.self, from: Data(failure.rawJSON.utf8))
                == JSONDecoder().decode(JSONValue.self, from: Data(element.utf8)))
    }

    @Test("a document that is not a JSON array is rejected as a whole")
    func documentErrors() {
        #expect(throws: FRDocumentError.notAnArray) { try FRListDecoder.decode(Data(#"{"id": 1}"#.utf8)) }
        #expect {
            try FRListDecoder.decode(Data("[{".utf8))
        } throws: { error in
            if case .invalidJSON = error as? FRDocumentError { true } else { false }
        }
    }
}
