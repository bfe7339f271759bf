import Foundation
import Testing

@testable import FulfillmentCore

@Suite("CSV, timestamps and hashing")
struct FormatsTests {
    @Test("the sample stock CSV reads")
    func sampleStock() throws {
        let levels = try RepositoryFiles.sampleStock()
        #expect(levels.count == 5)
        #expect(levels[0] == StockLevel(sku: "SKU-RED", location: "dallas", onHand: 10, cost: 4.25))
    }

    @Test("bad stock rows are named by line, and nothing is accepted")
    func badStock() {
        let csv = "sku,on_hand,location\nA,3,dallas\n,2,reno\nB,-1,reno\nC,lots,reno\n\nA,1,dallas\n\"D,1\",2\n"
        guard case .failure(let errors) = StockCSV.parse(csv) else {
            Issue.record("expected errors")
            return
        }
        #expect(
            errors.rendered(path: "stock.csv") == [
                "stock.csv:3: sku is empty",
                "stock.csv:4: on_hand for B must be a whole number of at least 0, got '-1'",
                "stock.csv:5: on_hand for C must be a whole number of at least 0, got 'lots'",
                "stock.csv:7: A at dallas appears again (first on line 2)",
                "stock.csv:8: 2 fields where the header has 3; a missing or extra comma?",
            ])
        if case .failure(let missing) = StockCSV.parse("sku,qty\nA,1\n") {
            #expect(missing.errors.first?.message.hasPrefix("missing column 'on_hand'") == true)
        } else {
            Issue.record("expected a missing-column error")
        }
    }

    @Test("CSV quoting, CRLF and multi-line fields keep line numbers right")
    func csvRows() throws {
        let rows = try CSV.rows("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\r\nlast,row")
        #expect(rows.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", "row"]])
        #expect(rows.map(\.line) == [1, 2, 3, 5])
        #expect(throws: CSVLineError(line: 2, message: "a quoted field is never closed")) { try CSV.rows("a\n\"open") }
    }

    @Test(
        "CSV cells that start like a formula are neutralised",
        arguments: [
            ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("plain", "plain"),
            ("a,b", "\"a,b\""), ("=x,y", "\"'=x,y\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ])
    func csvCells(raw: String, safe: String) {
        #expect(CSV.cell(raw) == safe)
    }

    @Test("timestamps need a zone and format in a zone")
    func timestamps() throws {
        #expect(try Timestamp.parseInstant("2026-11-27T09:00:00-06:00") == Build.instant("2026-11-27T15:00:00Z"))
        #expect(
            try Timestamp.parseInstant("2026-11-27T15:00:00.250Z").timeIntervalSince1970.truncatingRemainder(
                dividingBy: 1) == 0.25)
        #expect(try Timestamp.parseInstant("2026-11-27T09:00-0600") == Build.instant("2026-11-27T15:00:00Z"))
        #expect(throws: Timestamp.ParseError.self) { try Timestamp.parseInstant("2026-11-27T09:00:00") }
        #expect(throws: Timestamp.ParseError.self) { try Timestamp.parseInstant("2026-11-27") }
        #expect(throws: Timestamp.ParseError.self) { try Timestamp.parse("27/11/2026") }
        #expect(Timestamp.utcString(Build.instant("2026-11-27T09:00:00-06:00")) == "2026-11-27T15:00:00Z")
        let chicago = TimeZone(identifier: "America/Chicago")!
        #expect(Timestamp.string(Build.instant("2026-07-01T12:00:30Z"), in: chicago) == "2026-07-01T07:00:30-05:00")
    }

    @Test("SHA-256 matches the standard test vectors")
    func sha256() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1000)).count == 64)
    }
}
