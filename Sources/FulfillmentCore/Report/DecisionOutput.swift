import Foundation

/// The JSON shape of one decision in `dry-run --format json|ndjson` (docs/commands.md).
public struct DecisionOutput: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var itemId: Int?
        public var sku: String?
        public var quantity: Int
        public var acknowledged: Int
        public var cancelled: Int

        enum CodingKeys: String, CodingKey {
            case itemId = "item_id"
            case sku, quantity, acknowledged, cancelled
        }
    }

    public var frId: Int
    public var frNumber: String?
    public var decision: DecisionKind
    public var rule: String
    public var reason: DecisionReason?
    public var note: String?
    public var lines: [Line]
    public var remainder: Remainder?
    public var trace: [RuleTrace]
    public var traceNotes: [String]
    public var facts: Facts?

    enum CodingKeys: String, CodingKey {
        case frId = "fr_id"
        case frNumber = "fr_number"
        case decision, rule, reason, note, lines, remainder, trace
        case traceNotes = "trace_notes"
        case facts
    }

    public init(_ decision: FRDecision, includeFacts: Bool) {
        frId = decision.frId
        frNumber = decision.frNumber
        self.decision = decision.decision
        rule = decision.rule
        reason = decision.reason
        note = decision.note
        lines = decision.lines.map {
            Line(
                itemId: $0.itemId, sku: $0.sku, quantity: $0.quantity, acknowledged: $0.acknowledged,
                cancelled: $0.cancelled)
        }
        remainder = decision.remainder
        trace = decision.trace.rules
        traceNotes = decision.trace.notes
        facts = includeFacts ? decision.facts : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(frId, forKey: .frId)
        try c.encode(frNumber, forKey: .frNumber)
        try c.encode(decision, forKey: .decision)
        try c.encode(rule, forKey: .rule)
        try c.encode(reason, forKey: .reason)
        try c.encode(note, forKey: .note)
        try c.encode(lines, forKey: .lines)
        try c.encode(remainder, forKey: .remainder)
        try c.encode(trace, forKey: .trace)
        try c.encode(traceNotes, forKey: .traceNotes)
        try c.encodeIfPresent(facts, forKey: .facts)
    }

    /// The record as one line of compact JSON, as `encoder(pretty: false)` writes it but
    /// without building an intermediate tree: `dry-run --format ndjson` prints thousands.
    public func jsonLine() throws -> [UInt8] {
        let factsJSON = try facts.map { try Self.encoder(pretty: false).encode($0) }
        var json = JSONText()
        json.object { json in
            json.key("decision")
            json.string(decision.rawValue)
            if let factsJSON {
                json.key("facts")
                json.raw(factsJSON)
            }
            json.key("fr_id")
            json.int(frId)
            json.key("fr_number")
            json.string(frNumber)
            json.key("lines")
            json.array(lines) { json, line in
                json.object { json in
                    json.key("acknowledged")
                    json.int(line.acknowledged)
                    json.key("cancelled")
                    json.int(line.cancelled)
                    if let itemId = line.itemId {
                        json.key("item_id")
                        json.int(itemId)
                    }
                    json.key("quantity")
                    json.int(line.quantity)
                    if let sku = line.sku {
                        json.key("sku")
                        json.string(sku)
                    }
                }
            }
            json.key("note")
            json.string(note)
            json.key("reason")
            json.string(reason?.rawValue)
            json.key("remainder")
            json.string(remainder?.rawValue)
            json.key("rule")
            json.string(rule)
            json.key("trace")
            json.write(trace)
            json.key("trace_notes")
            json.array(traceNotes) { json, note in json.string(note) }
        }
        return json.bytes
    }

    /// A JSON encoder with stable key order and ISO 8601 dates.
    public static func encoder(pretty: Bool) -> JSONEncoder { StableJSON.encoder(pretty: pretty) }
}
