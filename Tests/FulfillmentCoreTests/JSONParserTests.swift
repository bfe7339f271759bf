import Foundation
import Testing

@testable import FulfillmentCore

@Suite("JSON parser and writer")
struct JSONParserTests {
    @Test("values parse to nodes: members in order, numbers as written, escapes decoded")
    func values() throws {
        let node = try JSONParser.parse(
            Array(#" {"b": [1, -2.5e3, 0], "a": "x\"\\\/\n\u00e9\ud83d\ude00", "c": true, "d": null, "e": {}} "#.utf8))
        #expect(
            node
                == .object([
                    JSONMember(key: "b", value: .array([.number("1"), .number("-2.5e3"), .number("0")])),
                    JSONMember(key: "a", value: .string("x\"\\/\né😀")),
                    JSONMember(key: "c", value: .bool(true)),
                    JSONMember(key: "d", value: .null),
                    JSONMember(key: "e", value: .object([])),
                ]))
        #expect(node["a"] == .string("x\"\\/\né😀"))
        #expect(try JSONParser.parse(Array(#"{"k": 1, "k": 2}"#.utf8))["k"] == .number("2"))
    }

    @Test(
        "what is not JSON is refused with the line and column where reading stopped",
        arguments: [
            ("[1, 2", "line 1, column 6: unexpected end of data"),
            ("[1 2]", "line 1, column 4: expected ',' or ']', found '2'"),
            ("{\"a\" 1}", "line 1, column 6: expected ':' after a member name"),
            ("[01]", "line 1, column 3: expected ',' or ']', found '1'"),
            ("[1.]", "line 1, column 4: a number needs digits after '.'"),
            ("[-]", "line 1, column 3: a number needs digits"),
            ("[\n tru]", "line 2, column 2: unexpected character 't'"),
            ("[\"a\tb\"]", "line 1, column 4: control character byte 0x9 inside a string"),
            ("[\"\\x\"]", "line 1, column 4: invalid escape \\x"),
            ("[\"\\ud800\"]", "line 1, column 9: unpaired surrogate in \\u escape"),
            ("[1] x", "line 1, column 5: unexpected text after the JSON value"),
            ("", "line 1, column 1: unexpected end of data"),
            ("[\"abc", "line 1, column 6: unterminated string"),
        ])
    func refused(text: String, message: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
        do {
            _ = try JSONParser.parse(Array(text.utf8))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a string that is not UTF-8 is refused, and nesting is bounded")
    func hostile() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(Array(fine.utf8)) }
    }

    @Test("array elements come with the exact bytes they were read from")
    func elementRanges() throws {
        let text = "[ {\"id\": 1} ,\n  [2, 3],\"x\" ]"
        let bytes = Array(text.utf8)
        let elements = try #require(try JSONParser.parseArray(bytes))
        #expect(
            elements.map { String(decoding: bytes[$0.range], as: UTF8.self) } == ["{\"id\": 1}", "[2, 3]", "\"x\""])
        #expect(try JSONParser.parseArray(Array("{\"a\": 1}".utf8)) == nil)
    }

    @Test("the parser reads every sample FR as Foundation's JSONSerialization does")
    func agreesWithFoundation() throws {
        let data = try RepositoryFiles.data("examples/frs-sample.json")
        let ours = try JSONParser.parse(data)
        let theirs = try JSONSerialization.jsonObject(with: data)
        #expect(Self.plain(ours) as? NSArray == theirs as? NSArray)
    }

    /// A node as JSONSerialization's objects, for comparison.
    static func plain(_ node: JSONNode) -> Any {
        switch node {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let text): return Int(text).map { $0 as Any } ?? Double(text)! as Any
        case .string(let text): return text
        case .array(let elements): return elements.map(plain)
        case .object(let members):
            return Dictionary(members.map { ($0.key, plain($0.value)) }, uniquingKeysWith: { $1 })
        }
    }

    @Test("JSONText escapes strings exactly as the stable JSON encoder does")
    func escaping() throws {
        var strings = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }
        strings += ["é", "😀", "\u{2028}", "a/b", "<script>", "=1+2", "Zoë \"quoted\" \\ path"]
        for string in strings {
            var json = JSONText()
            json.string(string)
            let expected = try StableJSON.encoder().encode([string])
            #expect("[\(json.text)]" == String(decoding: expected, as: UTF8.self), "\(Array(string.utf8))")
        }
    }

    @Test("a decision's ndjson line equals the stable encoder's, with and without facts")
    func decisionLines() throws {
        let rules = try RepositoryFiles.exampleRules()
        var frs = try RepositoryFiles.sampleFRs()
        frs[0].number = "FR-\"<1>\"\n\u{1}"
        frs[1].items[0].sku = nil
        var ledger = StockLedger(levels: try RepositoryFiles.sampleStock())
        let decisions = DecisionCycle.decide(frs, ruleSet: rules, ledger: &ledger, now: Build.now).decisions
        for decision in decisions {
            for facts in [false, true] {
                let output = DecisionOutput(decision, includeFacts: facts)
                let expected = try DecisionOutput.encoder(pretty: false).encode(output)
                #expect(
                    String(decoding: try output.jsonLine(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            }
        }
    }

    @Test("one member of an object is read; the others are checked and skipped, escapes and nesting included")
    func member() throws {
        let text =
            #"{"a": {"s": "x\"}{", "n": [1, [2, {"t": true}]]}, "b": "é", "stockFigures": {"SKU": 3}, "c": null}"#
        #expect(try JSONParser.member("stockFigures", of: text.utf8) == JSONParser.parse(#"{"SKU": 3}"#.utf8))
        #expect(try JSONParser.member("b", of: text.utf8) == .string("é"))
        #expect(try JSONParser.member("missing", of: text.utf8) == nil)
        #expect(try JSONParser.member("a", of: "[1]".utf8) == nil)
        #expect(try JSONParser.member("a", of: "{}".utf8) == nil)
        // A skipped member must still be well formed, and nothing may follow the object.
        for broken in [
            #"{"x": [1, 2, "a": 1}"#, "{\"x\": \"\u{1}\", \"a\": 1}", #"{"x": "open, "a": 1"#,
            #"{"a": 1} 2"#, #"{"x": {"y" 1}, "a": 1}"#,
        ] {
            #expect(throws: JSONSyntaxError.self, "\(broken)") { try JSONParser.member("a", of: broken.utf8) }
        }
    }
}
