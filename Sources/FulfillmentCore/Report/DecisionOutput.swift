import Foundation

/// The JSON shape of one decision in `dry-run --format json|ndjson` (docs/commands.md).
public struct DecisionOutput: Sendable, Equatable, Codable {
    /// One line of the answer.
    public struct Line: Sendable, Equatable, Codable {
        /// The FR line's id.
        public var itemId: Int?
        /// The line's SKU.
        public var sku: String?
        /// Units ordered.
        public var quantity: Int
        /// Units answered as shipping.
        public var acknowledged: Int
        /// Units answered as cancelled.
        public var cancelled: Int

        enum CodingKeys: String, CodingKey {
            case itemId = "item_id"
            case sku, quantity, acknowledged, cancelled
        }
    }

    /// The FR decided.
    public var frId: Int
    /// Its number, for people.
    public var frNumber: String?
    /// What was decided.
    public var decision: DecisionKind
    /// The rule that decided it.
    public var rule: String
    /// Why, for a cancel.
    public var reason: DecisionReason?
    /// The note, with facts filled in.
    public var note: String?
    /// The answer's lines.
    public var lines: [Line]
    /// What happens to the cancelled quantity.
    public var remainder: Remainder?
    /// The rules tried and their checks.
    public var trace: [RuleTrace]
    /// Notes from the pipeline: guard, give-way, pause, escalation.
    public var traceNotes: [String]
    /// The facts the rules saw, when asked for.
    public var facts: Facts?

    enum CodingKeys: String, CodingKey {
        case frId = "fr_id"
        case frNumber = "fr_number"
        case decision, rule, reason, note, lines, remainder, trace
        case traceNotes = "trace_notes"
        case facts
    }

    /// A `DecisionOutput` from its parts.
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

    /// Writes the value in its JSON form.
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
