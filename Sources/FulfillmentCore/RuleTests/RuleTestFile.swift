// RuleTests: `rules test` files: cases with an FR, stock, a clock and the decision expected.

import Foundation
import Yams

/// A parsed rule test file (docs/rules.md, "Rule tests"), with file references not yet read.
public struct RuleTestFile: Sendable {
    /// Where an FR or stock comes from: a path relative to the test file, or inline.
    public enum Source<Inline: Sendable>: Sendable {
        case file(String)
        case inline(Inline)
    }

    /// Which FR a case decides.
    public enum FRReference: Sendable {
        /// A path to a JSON file holding one FR (or an array of one).
        case file(String)
        /// FR JSON written inline in the test file.
        case inline(Data)
        /// An FR `id` or `fulfillmentRequestNumber` from the file's `frs:` list.
        case listed(String)
    }

    /// What a case expects; only the fields given are checked.
    public struct Expectation: Sendable, Equatable {
        /// The decision expected.
        public var decision: DecisionKind?
        /// The rule expected to decide.
        public var rule: String?
        /// The cancel reason expected.
        public var reason: DecisionReason?
        /// The remainder expected.
        public var remainder: Remainder?
        /// Text the note must contain.
        public var note: String?
        /// Total units acknowledged over all lines.
        public var acknowledged: Int?
        /// Total units cancelled over all lines.
        public var cancelled: Int?
    }

    /// One named case: an FR, optionally its stock and clock, and what it must decide.
    public struct Case: Sendable {
        /// The case's name, for the report.
        public var name: String
        /// 1-based line of the case in the file.
        public var line: Int
        /// The FR, inline or from a file.
        public var fr: FRReference
        /// The instant to decide at; the file's default when nil.
        public var now: Date?
        /// The stock to decide against; the file's default when nil.
        public var stock: Source<[StockLevel]>?
        /// What the decision must be.
        public var expect: Expectation
    }

    /// The rule file the cases test.
    public var rules: String
    /// The default instant to decide at.
    public var now: Date?
    /// The default stock.
    public var stock: Source<[StockLevel]>?
    /// A JSON file of FRs that cases may name by id or number.
    public var frs: String?
    /// The cases, in file order.
    public var cases: [Case]
}

extension RuleTestFile {
    /// Parses a rule test file; `path` is used in diagnostics only.
    public static func parse(contents: String, path: String) -> (RuleTestFile?, [Diagnostic]) {
        var reader = YAMLReader(source: contents, path: path)
        guard let root = reader.root() else { return (nil, reader.sink.diagnostics) }
        reader.checkKeys(root, allowed: ["version", "rules", "now", "stock", "frs", "cases"], in: "the test file")
        let field = Dictionary(root.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        if let version = field["version"].flatMap({ reader.int($0.value, "'version'", min: 1, max: 1_000) }),
            version > RuleSet.supportedVersion
        {
            reader.sink.error(
                "test file version \(version) is newer than this source-agent understands (\(RuleSet.supportedVersion))",
                at: reader.position(field["version"]!.value))
        } else if field["version"] == nil {
            reader.sink.error(
                "missing 'version: 1' at the top of the test file", at: SourcePosition(line: 1, column: 1))
        }
        guard let rules = field["rules"].flatMap({ reader.scalar($0.value, "'rules'") }) else {
            if field["rules"] == nil {
                reader.sink.error(
                    "missing 'rules:' naming the rule file to test", at: SourcePosition(line: 1, column: 1))
            }
            return (nil, reader.sink.diagnostics)
        }
        let now = field["now"].flatMap { readNow($0.value, &reader) }
        let stock = field["stock"].flatMap { readStock($0.value, &reader) }
        let frs = field["frs"].flatMap { reader.scalar($0.value, "'frs'") }
        var cases: [Case] = []
        if let node = field["cases"]?.value {
            if let sequence = node.sequence {
                for caseNode in sequence { if let c = readCase(caseNode, &reader) { cases.append(c) } }
            } else {
                reader.sink.error("'cases' must be a list", at: reader.position(node))
            }
        } else {
            reader.sink.error("missing 'cases:'", at: SourcePosition(line: 1, column: 1))
        }
        reader.sink.sort()
        let file = RuleTestFile(rules: rules, now: now, stock: stock, frs: frs, cases: cases)
        return (reader.sink.hasErrors ? nil : file, reader.sink.diagnostics)
    }

    private static func readNow(_ node: Node, _ reader: inout YAMLReader) -> Date? {
        guard let text = reader.scalar(node, "'now'") else { return nil }
        do {
            return try Timestamp.parseInstant(text)
        } catch {
            reader.sink.error("'now' \(error.description)", at: reader.position(node))
            return nil
        }
    }

    private static func readStock(_ node: Node, _ reader: inout YAMLReader) -> Source<[StockLevel]>? {
        if let scalar = node.scalar { return .file(scalar.string) }
        guard let entries = reader.mapping(node, "'stock'") else { return nil }
        var levels: [StockLevel] = []
        for entry in entries {
            if entry.value.mapping != nil, let locations = reader.mapping(entry.value, "stock of \(entry.key)") {
                for location in locations {
                    if let units = reader.int(
                        location.value, "units of \(entry.key) at \(location.key)", max: StockCSV.maxOnHand)
                    {
                        levels.append(StockLevel(sku: entry.key, location: location.key, onHand: units))
                    }
                }
            } else if let units = reader.int(entry.value, "units of \(entry.key)", max: StockCSV.maxOnHand) {
                levels.append(StockLevel(sku: entry.key, location: StockCSV.defaultLocation, onHand: units))
            }
        }
        return .inline(levels)
    }

    private static func readCase(_ node: Node, _ reader: inout YAMLReader) -> Case? {
        guard let entries = reader.mapping(node, "each case") else { return nil }
        reader.checkKeys(entries, allowed: ["name", "fr", "now", "stock", "expect"], in: "a case")
        let field = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let line = reader.position(node).line
        let name = field["name"].flatMap { reader.scalar($0.value, "'name'") } ?? "case at line \(line)"
        guard let frNode = field["fr"]?.value else {
            reader.sink.error("case '\(name)' needs an 'fr'", at: reader.position(node))
            return nil
        }
        let fr: FRReference
        if let scalar = frNode.scalar {
            let text = scalar.string
            fr = text.hasSuffix(".json") ? .file(text) : .listed(text)
        } else {
            let encoder = JSONEncoder()
            guard let data = try? encoder.encode(jsonValue(frNode)) else { return nil }
            fr = .inline(data)
        }
        guard let expectNode = field["expect"]?.value else {
            reader.sink.error("case '\(name)' needs an 'expect'", at: reader.position(node))
            return nil
        }
        guard let expect = readExpectation(expectNode, &reader) else { return nil }
        return Case(
            name: name, line: line, fr: fr, now: field["now"].flatMap { readNow($0.value, &reader) },
            stock: field["stock"].flatMap { readStock($0.value, &reader) }, expect: expect)
    }

    private static func readExpectation(_ node: Node, _ reader: inout YAMLReader) -> Expectation? {
        guard let entries = reader.mapping(node, "'expect'") else { return nil }
        let keys = ["decision", "rule", "reason", "remainder", "note", "acknowledged", "cancelled"]
        reader.checkKeys(entries, allowed: keys, in: "'expect'")
        var expect = Expectation()
        for entry in entries {
            guard let text = reader.scalar(entry.value, "'\(entry.key)'") else { continue }
            let at = reader.position(entry.value)
            func bad(_ options: [String]) {
                reader.sink.error(
                    "unknown \(entry.key) '\(text)'\(Suggest.hint(for: text, in: options))", at: at)
            }
            switch entry.key {
            case "decision":
                expect.decision = DecisionKind(rawValue: text)
                if expect.decision == nil { bad(DecisionKind.allCases.map(\.rawValue)) }
            case "reason":
                expect.reason = DecisionReason(rawValue: text)
                if expect.reason == nil { bad(DecisionReason.allCases.map(\.rawValue)) }
            case "remainder":
                expect.remainder = Remainder(rawValue: text)
                if expect.remainder == nil { bad(Remainder.allCases.map(\.rawValue)) }
            case "rule": expect.rule = text
            case "note": expect.note = text
            case "acknowledged":
                expect.acknowledged = reader.int(entry.value, "'acknowledged'", max: FulfillmentRequestItem.maxQuantity)
            case "cancelled":
                expect.cancelled = reader.int(entry.value, "'cancelled'", max: FulfillmentRequestItem.maxQuantity)
            default: break
            }
        }
        return expect
    }

    /// YAML written inline as JSON: plain scalars that read as numbers, booleans or null keep that type.
    static func jsonValue(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            let text = scalar.string
            if text == "null" || text == "~" || text.isEmpty { return .null }
            if text == "true" || text == "false" { return .bool(text == "true") }
            if let number = Double(text), text.first != "+" { return .number(number) }
            return .string(text)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.scalar?.string ?? ""] = jsonValue(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(jsonValue))
        case .alias:
            return .null
        }
    }
}
