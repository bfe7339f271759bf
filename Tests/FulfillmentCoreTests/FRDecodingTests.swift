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
             {"id": 13, "fulfillmentRequestItems": [{"quantity": 1}], "requiredShipDate": "2026-12-03",
              "fulfillmentRequestStatus": null},
             {"id": 14, "fulfillmentRequestItems": [{"quantity": 1}], "dueDate": null, "shipByDate": "2026-12-05"}]
            """
        let frs = try FRListDecoder.decode(Data(json.utf8)).map { try $0.get() }
        #expect(frs[0].id == 12)
        #expect(frs[0].items[0].quantity == 2 && frs[0].items[0].sku == "123" && frs[0].items[0].cost == 4.5)
        #expect(frs[0].shippingAddress?.postal == "78701")
        #expect(frs[0].shipBy == .instant(Build.instant("2026-12-01T17:00:00Z")))
        #expect(frs[1].shipBy == .day(LocalDate("2026-12-03")!) && frs[1].status == nil)
        #expect(frs[2].shipBy == .day(LocalDate("2026-12-05")!))
        #expect(frs.allSatisfy { $0.toleratedFields.isEmpty })
    }

    @Test("an optional field of an unexpected type never makes the FR malformed; it is noted once per field")
    func unexpectedTypes() throws {
        let json = """
            [{"id": 21, "carrier": {"name": "UPS", "code": "ups"}, "shippingMethod": {"code": "GND"},
              "note": ["rush", "gift"], "orderId": {"x": 1}, "generatedAt": "yesterday", "dueDate": "soon",
              "fulfillmentRequestStatus": "Processing", "shippingAddress": "12 Main St",
              "fulfillmentRequestItems": [{"quantity": 2, "sku": {"name": "A"}, "cost": "cheap", "orderItemId": []}]}]
            """
        let fr = try #require(try FRListDecoder.decode(Data(json.utf8)).first?.get())
        #expect(fr.carrier == "UPS" && fr.shippingMethod == "GND" && fr.note == "rush")
        #expect(fr.status == "Processing" && fr.orderId == nil && fr.generatedAt == nil && fr.shipBy == nil)
        #expect(fr.shippingAddress == nil && fr.items[0].sku == "A" && fr.items[0].cost == nil)
        #expect(
            Set(fr.toleratedFields) == [
                "carrier", "shippingMethod", "note", "orderId", "generatedAt", "dueDate", "shippingAddress",
                "fulfillmentRequestItems[].sku", "fulfillmentRequestItems[].cost",
                "fulfillmentRequestItems[].orderItemId",
            ])
    }

    @Test("a bool where text belongs is absent, never the text \"true\", and named; a number is its digits")
    func boolsAndNumbersAsText() throws {
        let json = """
            [{"id": 22, "carrier": true, "shippingMethod": false, "note": 12, "fulfillmentRequestNumber": 1001,
              "fulfillmentRequestItems": [{"quantity": 1, "sku": true}]}]
            """
        let fr = try #require(try FRListDecoder.decode(Data(json.utf8)).first?.get())
        #expect(fr.carrier == nil && fr.shippingMethod == nil && fr.items[0].sku == nil)
        #expect(fr.note == "12" && fr.number == "1001")
        #expect(
            Set(fr.toleratedFields) == ["carrier", "shippingMethod", "fulfillmentRequestItems[].sku"])
    }

    @Test("money is exact: 12.15 + 3 × 245.95 is 750.00, not 749.999…")
    func exactMoney() throws {
        let json = """
            [{"id": 31, "fulfillmentRequestItems": [{"quantity": 1, "cost": 12.15}, {"quantity": 3, "cost": 245.95}]}]
            """
        let fr = try #require(try FRListDecoder.decode(Data(json.utf8)).first?.get())
        #expect(fr.value == Decimal(string: "750")!)
        #expect(fr.items[1].cost == Decimal(string: "245.95")!)
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
                #"{"id": 7, "fulfillmentRequestItems": [{"quantity": 1000001}]}"#, 7,
                "fulfillmentRequestItems[0].quantity", "quantity 1000001 is above 1,000,000 units per line"
            ),
            (
                #"{"id": 7, "fulfillmentRequestItems": [{"quantity": 4611686018427387904}, {"quantity": 4611686018427387904}]}"#,
                7, "fulfillmentRequestItems[0].quantity", "quantity 46116860184273"
            ),
            (
                #"{"id": 7, "fulfillmentRequestItems": []}"#, 7, "fulfillmentRequestItems",
                "an FR with no lines has nothing to acknowledge or cancel"
            ),
            (#"{"id": 7}"#, 7, "fulfillmentRequestItems", "required field is missing"),
            (#"{"fulfillmentRequestItems": [{"quantity": 1}]}"#, nil, "id", "required field is missing"),
            (#"[1, 2]"#, nil, "", "expected an object"),
        ] as [(String, Int?, String, String)])
    func malformed(element: String, id: Int?, path: String, message: String) throws {
        let line = #""fulfillmentRequestItems": [{"quantity": 1}]"#
        let json = "[{\"id\": 1, \(line)}, \(element), {\"id\": 3, \(line)}]"
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
