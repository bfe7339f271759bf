import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Tracking files and shipment lines")
struct TrackingFileTests {
    @Test("the sample groups into one shipment per FR and tracking number; bad rows keep their line")
    func sample() throws {
        let parsed = try TrackingFile.parse(try RepositoryFiles.text("examples/tracking-sample.csv")).get()
        #expect(parsed.groups.map(\.fr) == ["FR-1001", "1005", "FR-9999", "FR-1008"])
        #expect(parsed.groups.map(\.lines) == [[2], [3, 4], [5], [6]])
        #expect(parsed.groups[1].rows.map(\.sku) == ["SKU-GREEN", "SKU-RED"])
        #expect(parsed.groups[0].rows[0].shippedAt == Build.instant("2026-11-27T20:00:00Z"))
        #expect(parsed.groups[3].rows[0].problems == ["quantity must be a whole number above 0, got 'one'"])
        #expect(parsed.groups.prefix(3).allSatisfy { $0.rows.allSatisfy(\.problems.isEmpty) })
        #expect(parsed.orphans.isEmpty)
    }

    @Test("header names in any case and order, extra columns ignored, optional columns may be missing")
    func header() throws {
        let text = "Tracking_Number,NOTE,Quantity,SKU,FR\n1Z1,hello,2,A,FR-1\n"
        let parsed = try TrackingFile.parse(text).get()
        let row = try #require(parsed.groups.first?.rows.first)
        #expect(row.fr == "FR-1" && row.sku == "A" && row.quantity == 2 && row.trackingNumber == "1Z1")
        #expect(row.shippedAt == nil && row.carrier == nil && row.problems.isEmpty)
    }

    @Test("a missing column or an empty file fails the whole file")
    func wholeFile() {
        guard case .failure(let error) = TrackingFile.parse("fr,sku,quantity\nFR-1,A,1\n") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 1 && error.message.hasPrefix("missing column 'tracking_number'"))
        guard case .failure(let empty) = TrackingFile.parse("") else {
            Issue.record("expected a failure")
            return
        }
        #expect(empty.message == "the file is empty")
    }

    @Test(
        "row problems are named",
        arguments: [
            ("FR-1,A,0,1Z,2026-11-27T20:00:00Z", "quantity must be a whole number above 0, got '0'"),
            ("FR-1,A,-2,1Z,2026-11-27T20:00:00Z", "quantity must be a whole number above 0, got '-2'"),
            ("FR-1,A,1.5,1Z,2026-11-27T20:00:00Z", "quantity must be a whole number above 0, got '1.5'"),
            ("FR-1,,1,1Z,2026-11-27T20:00:00Z", "sku is empty"),
            ("FR-1,A,1,1Z,2026-11-27T20:00:00", "shipped_at: '2026-11-27T20:00:00' has no time zone"),
            ("FR-1,A,1,1Z,yesterday", "shipped_at:"),
        ])
    func rowProblems(row: String, problem: String) throws {
        let parsed = try TrackingFile.parse("fr,sku,quantity,tracking_number,shipped_at\n\(row)\n").get()
        let problems = try #require(parsed.groups.first?.rows.first?.problems)
        #expect(problems.count == 1 && problems[0].hasPrefix(problem), "\(problems)")
    }

    @Test("a row without an FR or a tracking number belongs to no shipment")
    func orphans() throws {
        let parsed = try TrackingFile.parse("fr,sku,quantity,tracking_number\nFR-1,A,1,\n,A,1,1Z\n").get()
        #expect(parsed.groups.isEmpty)
        #expect(parsed.orphans.map(\.line) == [2, 3])
        #expect(parsed.orphans[0].problems == ["tracking_number is empty"])
        #expect(parsed.orphans[1].problems == ["fr is empty: give the FR id or number"])
    }

    @Test("units of a repeated SKU fill its lines in order, after what earlier shipments took")
    func allocation() {
        let lines = [
            LineAnswer(itemId: 1, sku: "A", quantity: 2, acknowledged: 2, cancelled: 0),
            LineAnswer(itemId: 2, sku: "B", quantity: 1, acknowledged: 1, cancelled: 0),
            LineAnswer(itemId: 3, sku: "A", quantity: 3, acknowledged: 1, cancelled: 2),
        ]
        let all = ShipmentAllocation.allocate(sku: "A", quantity: 3, lines: lines, shippedBefore: 0)
        #expect(all?.map(\.line) == [0, 2] && all?.map(\.quantity) == [2, 1])
        let rest = ShipmentAllocation.allocate(sku: "A", quantity: 2, lines: lines, shippedBefore: 1)
        #expect(rest?.map(\.line) == [0, 2] && rest?.map(\.quantity) == [1, 1])
        let last = ShipmentAllocation.allocate(sku: "A", quantity: 1, lines: lines, shippedBefore: 2)
        #expect(last?.map(\.line) == [2] && last?.map(\.quantity) == [1])
        #expect(ShipmentAllocation.allocate(sku: "A", quantity: 2, lines: lines, shippedBefore: 2) == nil)
        #expect(ShipmentAllocation.allocate(sku: "C", quantity: 1, lines: lines, shippedBefore: 0) == nil)
    }
}

@Suite("CSV reading of odd files")
struct OddCSVTests {
    @Test("a NUL or other control byte in a cell is refused by line; a BOM and CRLF are fine")
    func controlBytes() throws {
        let nul = StockCSV.parse("sku,on_hand\r\nA,1\r\nB\u{0}X,2\r\n")
        guard case .failure(let errors) = nul else {
            Issue.record("a NUL inside a SKU must be refused")
            return
        }
        #expect(
            errors.rendered(path: "s.csv") == [
                "s.csv:3: a cell holds the control character U+0000; is this a text CSV in UTF-8?"
            ])
        let quoted = StockCSV.parse("sku,on_hand\n\"A\u{7}\",1\n")
        #expect((try? quoted.get()) == nil)
        let bom = try StockCSV.parse("\u{FEFF}sku,on_hand\r\nA,1\r\n").get()
        #expect(bom.map(\.sku) == ["A"])
        #expect(try CSV.rows("a,\"line\nbreak\"\n").map(\.fields) == [["a", "line\nbreak"]])
    }

    @Test("an on_hand no shelf holds is refused, so stock sums cannot overflow")
    func hugeOnHand() {
        guard case .failure(let errors) = StockCSV.parse("sku,on_hand\nA,4611686018427387904\nB,1000000001\n") else {
            Issue.record("huge on_hand must be refused")
            return
        }
        #expect(
            errors.rendered(path: "s.csv") == [
                "s.csv:2: on_hand for A is above 1,000,000,000, got 4611686018427387904",
                "s.csv:3: on_hand for B is above 1,000,000,000, got 1000000001",
            ])
    }
}
