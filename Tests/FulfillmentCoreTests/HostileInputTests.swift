import Foundation
import Testing

@testable import FulfillmentCore

/// A source of chunks that counts how many were asked for: a parser that stops at the first
/// sign of garbage asks for one or two of the 1,600 a 100 MB file holds.
final class CountingChunks: @unchecked Sendable {
    private(set) var served = 0
    let total: Int
    let make: (Int) -> [UInt8]

    init(megabytes: Int, make: @escaping (Int) -> [UInt8]) {
        total = megabytes * 16
        self.make = make
    }

    var reader: CSVRowReader {
        CSVRowReader(chunks: { [self] in
            guard served < total else { return nil }
            served += 1
            return make(served - 1)
        })
    }
}

@Suite("Hostile CSV files")
struct HostileCSVTests {
    static let chunk = 65_536

    @Test("100 MB of random bytes, of one endless line, or of junk rows is refused after a chunk or two")
    func garbageIsRefusedEarly() throws {
        var generator = SystemRandomNumberGenerator()
        let random = CountingChunks(megabytes: 100) { _ in
            (0..<Self.chunk).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        guard case .failure(let errors) = StockCSV.parse(random.reader) else {
            Issue.record("random bytes accepted")
            return
        }
        #expect(errors.errors.count == 1 && errors.errors[0].line < 100)
        #expect(random.served <= 2)

        let endless = CountingChunks(megabytes: 100) { _ in Array(repeating: UInt8(ascii: "a"), count: Self.chunk) }
        guard case .failure(let long) = StockCSV.parse(endless.reader) else {
            Issue.record("an endless line accepted")
            return
        }
        #expect(long.errors.map(\.description) == ["line 1: a row longer than 65536 characters; is this a CSV file?"])
        #expect(endless.served <= 2)

        let junkRow = Array("SKU-\u{1F4A5},lots\n".utf8)
        let junk = CountingChunks(megabytes: 100) { index in
            (index == 0 ? Array("sku,on_hand\n".utf8) : [])
                + Array(repeating: junkRow, count: Self.chunk / junkRow.count).flatMap { $0 }
        }
        guard case .failure(let bad) = StockCSV.parse(junk.reader) else {
            Issue.record("junk rows accepted")
            return
        }
        #expect(bad.errors.count == StockCSV.maxErrors + 1)
        #expect(bad.errors.last?.message == "stopped reading after 100 bad lines")
        #expect(junk.served == 1)

        let tracking = CountingChunks(megabytes: 100) { index in
            (index == 0 ? Array("fr,sku,quantity,tracking_number\n".utf8) : [])
                + Array(repeating: Array("FR-1,A,-1,\n".utf8), count: 6_000).flatMap { $0 }
        }
        guard case .failure(let trackingError) = TrackingFile.parse(tracking.reader) else {
            Issue.record("a tracking file of junk accepted")
            return
        }
        #expect(trackingError.line == 1_002 && trackingError.message.contains("is this the tracking file?"))
        #expect(tracking.served == 1)
    }

    @Test("a file read in chunks of 1 to 7 bytes, split inside characters and CR LF, reads as it does whole")
    func chunkBoundaries() throws {
        let text = "\u{FEFF}sku,on_hand,location\r\n\"CAFÉ-€\",3,\"Reno, NV\"\r\n𝄞-SKU,2,\"two\nlines\"\r\nSKU-ß,1,\r\n"
        let whole = try StockCSV.parse(text).get()
        #expect(whole.map(\.sku) == ["CAFÉ-€", "𝄞-SKU", "SKU-ß"])
        let bytes = Array(text.utf8)
        for size in 1...7 {
            var offset = 0
            let reader = CSVRowReader(chunks: {
                guard offset < bytes.count else { return nil }
                defer { offset += size }
                return Array(bytes[offset..<min(offset + size, bytes.count)])
            })
            #expect(try StockCSV.parse(reader).get() == whole, "chunks of \(size)")
        }
    }

    @Test(
        "a file in another encoding is refused at the line where it stops being UTF-8",
        arguments: [
            (Array("sku,on_hand\nCAF".utf8) + [0xC9] + Array(",1\n".utf8), 2),  // Latin-1 É
            ([0xFF, 0xFE] + Array("sku,on_hand".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, 1),  // UTF-16
            (Array("sku,on_hand\nA,1\nB,2\n".utf8) + [0xE2, 0x82], 4),  // ends inside a character
        ] as [([UInt8], Int)])
    func otherEncodings(bytes: [UInt8], line: Int) {
        var sent = false
        let reader = CSVRowReader(chunks: {
            defer { sent = true }
            return sent ? nil : bytes
        })
        guard case .failure(let errors) = StockCSV.parse(reader) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.errors.last?.line == line)
        #expect(errors.errors.last?.message.contains("not UTF-8") == true)
    }
}

@Suite("Hostile FRs")
struct HostileFRTests {
    static func page(_ fields: String, items: String = #"[{"id": 1, "sku": "SKU-1", "quantity": 1}]"#) -> Data {
        Data(#"[{"id": 7, "fulfillmentRequestNumber": "FR-7", \#(fields) "fulfillmentRequestItems": \#(items)}]"#.utf8)
    }

    static func decideOne(_ data: Data, stock: [StockLevel] = [], rules: RuleSet? = nil) throws -> FRDecision? {
        let results = try FRListDecoder.decode(data)
        guard case .success(let fr)? = results.first else { return nil }
        var ledger = StockLedger(levels: stock)
        return DecisionCycle.decide(
            [fr], ruleSet: try rules ?? RepositoryFiles.exampleRules(), ledger: &ledger, now: Build.now
        ).decisions
            .first
    }

    @Test("10 MB strings in a name, an address line and a note are decided like any other FR")
    func hugeStrings() throws {
        let big = String(repeating: "x", count: 10_000_000)
        let data = Self.page(
            #""note": "\#(big)", "shippingAddress": {"name": "\#(big)", "addressLine1": "\#(big)", "city": "Austin", "stateCode": "TX", "countryCode": "US", "postal": "78701"},"#
        )
        let decision = try #require(
            try Self.decideOne(data, stock: [StockLevel(sku: "SKU-1", location: "dallas", onHand: 5)]))
        #expect(decision.lines.map(\.acknowledged) == [1] || decision.decision == .hold)
    }

    @Test("100,000 lines in one FR are decided, every line adding up")
    func manyLines() throws {
        let items =
            "["
            + (0..<100_000).map { #"{"id": \#($0), "sku": "SKU-\#($0 % 50)", "quantity": 2}"# }.joined(separator: ",")
            + "]"
        let stock = (0..<50).map { StockLevel(sku: "SKU-\($0)", location: "dallas", onHand: 1_000) }
        let decision = try #require(
            try Self.decideOne(Self.page("", items: items), stock: stock, rules: Build.single("fr.units > 0")))
        #expect(decision.lines.count == 100_000)
        #expect(decision.lines.allSatisfy { $0.acknowledged + $0.cancelled == 2 })
    }

    @Test(
        "quantities no line can hold, done or to do, make the FR malformed, naming the field",
        arguments: [
            (#"{"id": 1, "sku": "A", "quantity": -1}"#, "quantity -1 is negative"),
            (#"{"id": 1, "sku": "A", "quantity": 4611686018427387904}"#, "above 1,000,000 units"),
            (#"{"id": 1, "sku": "A", "quantity": 1e300}"#, "quantity"),
            (
                #"{"id": 1, "sku": "A", "quantity": 2, "acknowledgedQuantity": 4611686018427387904}"#,
                "acknowledgedQuantity 4611686018427387904 is outside"
            ),
            (#"{"id": 1, "sku": "A", "quantity": 2, "voidedQuantity": -3}"#, "voidedQuantity -3 is outside"),
            (#"{"id": 1, "sku": "A", "quantity": 2, "shippedQuantity": 9223372036854775807}"#, "shippedQuantity"),
        ])
    func impossibleQuantities(item: String, message: String) throws {
        let results = try FRListDecoder.decode(Self.page("", items: "[\(item)]"))
        guard case .failure(let failure)? = results.first else {
            Issue.record("decoded \(results)")
            return
        }
        #expect(failure.frId == 7)
        #expect(failure.description.contains(message), "\(failure.description)")
    }

    @Test("an id of another type: a numeric string is read, anything else makes that FR malformed and no other")
    func idTypes() throws {
        let data = Data(
            #"""
            [{"id": "8", "fulfillmentRequestItems": [{"sku": "A", "quantity": 1}]},
             {"id": 8.5, "fulfillmentRequestItems": [{"sku": "A", "quantity": 1}]},
             {"id": {"value": 9}, "fulfillmentRequestItems": [{"sku": "A", "quantity": 1}]},
             {"id": null, "fulfillmentRequestItems": [{"sku": "A", "quantity": 1}]},
             {"id": 10, "fulfillmentRequestItems": [{"sku": "A", "quantity": 1}]}]
            """#.utf8)
        let results = try FRListDecoder.decode(data)
        #expect(results.count == 5)
        #expect((try? results[4].get())?.id == 10)
        #expect(results[1...3].allSatisfy { (try? $0.get()) == nil })
        if case .success(let fr) = results[0] { #expect(fr.id == 8) }
    }

    @Test("a SKU that only looks like one in stock (Cyrillic, zero-width, full-width letters) gets none of its stock")
    func confusableSKUs() throws {
        let stock = [StockLevel(sku: "SKU-RED", location: "dallas", onHand: 10)]
        for sku in ["SKU-R\u{0415}D", "SKU-\u{200B}RED", "\u{FF33}KU-RED", "SKU-RED\u{0301}", "sku-red"] {
            let decision = try #require(
                try Self.decideOne(Self.page("", items: #"[{"id": 1, "sku": "\#(sku)", "quantity": 1}]"#), stock: stock)
            )
            #expect(decision.lines.allSatisfy { $0.acknowledged == 0 }, "\(sku) took stock of SKU-RED")
            #expect(decision.reservations.isEmpty)
        }
    }

    @Test("JSON nested 100,000 deep is refused with a clear error, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: FRDocumentError.self) { try FRListDecoder.decode(Self.page(#""note": \#(deep),"#)) }
        #expect(throws: FRDocumentError.self) { try FRListDecoder.decode(Data(deep.utf8)) }
    }
}

@Suite("Hostile rule files")
struct HostileYAMLTests {
    func errors(_ yaml: String) -> [String] {
        RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
    }

    @Test("YAML nested 100,000 deep in flow style is refused at its position, not a stack overflow")
    func deepFlowYAML() {
        let flow =
            "version: 1\nlists:\n  x: " + String(repeating: "[", count: 100_000)
            + String(repeating: "]", count: 100_000)
            + "\n"
        #expect(errors(flow).first?.hasPrefix("rules.yaml:3:") == true, "\(errors(flow))")
    }

    @Test("YAML nested 2,000 deep in block style is refused at its position, not a stack overflow")
    func deepBlockYAML() {
        var block = "version: 1\nlists:\n"
        for depth in 0..<2_000 { block += String(repeating: " ", count: depth + 2) + "- \n" }
        #expect(errors(block).first?.hasPrefix("rules.yaml:") == true)
    }

    @Test("anchors and aliases (a billion laughs) are refused at once, naming the line")
    func aliases() {
        var laughs = "version: 1\nlists:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            laughs += "  a\(i): &a\(i) [" + (0..<9).map { _ in "*a\(i - 1)" }.joined(separator: ", ") + "]\n"
        }
        laughs += "rules:\n  - name: r\n    when: fr.number in lists.a9\n    then: hold\n"
        let started = ContinuousClock.now
        let found = errors(laughs)
        // Expanded, the aliases would be a billion values: minutes, not this generous bound.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(found == ["rules.yaml:3:7: error: YAML anchors (&name) are not supported; write the value out"])
        #expect(
            errors("version: 1\nlists:\n  a: [x]\n  b: *a\n") == [
                "rules.yaml:4:6: error: YAML aliases (*name) are not supported; write the value out"
            ])
    }

    @Test("a rule file of 5,000 rules loads and decides")
    func hugeFile() throws {
        let rules = (0..<5_000).map { "  - name: r\($0)\n    when: fr.units > \($0 + 1_000_000)\n    then: hold" }
            .joined(separator: "\n")
        let result = RuleSet.load(contents: Build.ruleFile(rules, extra: "guards: {}"), path: "rules.yaml")
        let ruleSet = try #require(result.ruleSet, "\(result.errors)")
        #expect(ruleSet.decide(Build.fr(), facts: Build.facts()).rule == "default")
    }
}
