import Foundation
import FulfillmentCore

/// What the console's decision list is narrowed to. Every field is optional; the conditions
/// are one SQL text for both engines (`?` for each value, in order).
public struct DecisionFilter: Sendable, Equatable {
    public var decision: DecisionKind?
    /// The rule's name as logged (`manual` for a person's decision).
    public var rule: String?
    public var reason: DecisionReason?
    /// A SKU on one of the decision's lines, exactly.
    public var sku: String?
    /// The FR's number or id.
    public var fr: String?
    /// The person who took the decision.
    public var person: String?
    /// Decided at or after.
    public var since: Date?
    /// Decided before.
    public var until: Date?

    public init(
        decision: DecisionKind? = nil, rule: String? = nil, reason: DecisionReason? = nil, sku: String? = nil,
        fr: String? = nil, person: String? = nil, since: Date? = nil, until: Date? = nil
    ) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.sku = sku
        self.fr = fr
        self.person = person
        self.since = since
        self.until = until
    }

    /// A value bound to the conditions' SQL.
    public enum Value: Sendable, Equatable {
        case text(String)
        case date(Date)
        case integer(Int64)
    }

    /// The conditions after `WHERE d.source_name = …` (`d` the decision, `f` its FR), each
    /// beginning with `AND`, and their values in order; `beforeId` pages newest first.
    public func conditions(beforeId: Int64?) -> (sql: String, values: [Value]) {
        var sql = ""
        var values: [Value] = []
        func add(_ condition: String, _ bound: Value...) {
            sql += " AND " + condition
            values += bound
        }
        if let beforeId { add("d.id < ?", .integer(beforeId)) }
        if let decision { add("d.decision = ?", .text(decision.rawValue)) }
        if let rule { add("d.rule = ?", .text(rule)) }
        if let reason { add("d.reason = ?", .text(reason.rawValue)) }
        if let person { add("d.decided_by = ?", .text(person)) }
        if let since { add("d.decided_at >= ?", .date(since)) }
        if let until { add("d.decided_at < ?", .date(until)) }
        if let fr {
            // The FR's ids first (by number, through its index, or the id itself), so the
            // decisions are found through theirs rather than by reading every one.
            add(
                "d.fr_id IN (SELECT n.id FROM fr n WHERE n.source_name = d.source_name AND n.number = ? UNION ALL SELECT ?)",
                .text(fr), .integer(Int64(fr) ?? -1))
        }
        if let sku { add("d.lines_json LIKE ? ESCAPE '\\'", .text(Self.skuPattern(sku))) }
        return (sql, values)
    }

    /// A LIKE pattern matching the SKU exactly as the decision's lines store it: their JSON has
    /// sorted keys, so `"sku":"…"` is followed by the closing quote of the value.
    static func skuPattern(_ sku: String) -> String {
        let json = (try? StableJSON.encoder().encode(sku)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\(sku)\""
        var escaped = ""
        for character in "\"sku\":" + json {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Whether anything narrows the list.
    public var isEmpty: Bool { self == DecisionFilter() }
}
