import Foundation

/// Where a compiled expression reads its inputs during one evaluation.
final class EvalFrame {
    let fr: FulfillmentRequest
    let facts: Facts
    let zone: TimeZone
    /// The current element inside `any/all/none/count/sum`, innermost last.
    var items: [Value] = []
    var checks: [TraceCheck] = []
    /// Above zero inside a quantifier, where per-element checks would flood the trace, and
    /// always when no trace is wanted: formatting the compared values is most of a rule's cost.
    var quiet: Int

    init(fr: FulfillmentRequest, facts: Facts, zone: TimeZone, traced: Bool = true) {
        self.fr = fr
        self.facts = facts
        self.zone = zone
        quiet = traced ? 0 : 1
    }

    func record(_ text: @autoclosure () -> String, _ result: Bool) {
        if quiet == 0 { checks.append(TraceCheck(check: text(), result: result)) }
    }
}

/// A compiled expression: reads the frame, returns a value. Built once per rule file.
typealias Eval = @Sendable (EvalFrame) -> Value

/// A fact the rules may name: its type, and how to read it without any lookup by name.
struct FactSpec: Sendable {
    let type: ValueType
    /// Absent for some FRs; comparisons with it are then false.
    let optional: Bool
    let read: Eval
}

/// Every fact in docs/rules.md, by the name rules use.
enum FactCatalog {
    static let facts: [String: FactSpec] = [
        "now": FactSpec(type: .time, optional: false) { .time($0.facts.now) },
        "fr.id": FactSpec(type: .int, optional: false) { .int($0.fr.id) },
        "fr.number": FactSpec(type: .string, optional: false) { .string($0.fr.displayName) },
        "fr.order_number": FactSpec(type: .string, optional: true) { string($0.fr.orderNumber) },
        "fr.created_at": FactSpec(type: .time, optional: true) { f in f.fr.createdAt.map(Value.time) ?? .missing },
        "fr.age": FactSpec(type: .duration, optional: true) { f in
            f.fr.createdAt.map { .duration(f.facts.now.timeIntervalSince($0)) } ?? .missing
        },
        "fr.ship_by": FactSpec(type: .time, optional: true) { f in
            switch f.fr.shipBy {
            case .day(let day): return .date(day)
            case .instant(let instant): return .time(instant)
            case nil: return .missing
            }
        },
        "fr.shipping_method": FactSpec(type: .string, optional: true) { string($0.fr.shippingMethod) },
        "fr.carrier": FactSpec(type: .string, optional: true) { string($0.fr.carrier) },
        "fr.lines": FactSpec(type: .int, optional: false) { .int($0.fr.items.count) },
        "fr.units": FactSpec(type: .int, optional: false) { .int($0.fr.units) },
        "fr.value": FactSpec(type: .decimal, optional: false) { .decimal($0.fr.value) },
        "items": FactSpec(type: .list(.item), optional: false) { f in .list(f.fr.items.indices.map(Value.item)) },
        "address.country": FactSpec(type: .string, optional: true) { string($0.facts.address.country) },
        "address.state": FactSpec(type: .string, optional: true) { string($0.facts.address.state) },
        "address.postal": FactSpec(type: .string, optional: true) { string($0.facts.address.postal) },
        "address.city": FactSpec(type: .string, optional: true) { string($0.facts.address.city) },
        "address.valid": FactSpec(type: .bool, optional: false) { .bool($0.facts.address.valid) },
        "address.problems": FactSpec(type: .list(.string), optional: false) { f in
            .list(f.facts.address.problems.map(Value.string))
        },
        "address.po_box": FactSpec(type: .bool, optional: false) { .bool($0.facts.address.poBox) },
        "address.military": FactSpec(type: .bool, optional: false) { .bool($0.facts.address.military) },
        "address.domestic": FactSpec(type: .bool, optional: false) { .bool($0.facts.address.domestic) },
        "stock.covers_all": FactSpec(type: .bool, optional: false) { .bool($0.facts.stock.coversAll) },
        "stock.covers_any": FactSpec(type: .bool, optional: false) { .bool($0.facts.stock.coversAny) },
        "stock.fill_rate": FactSpec(type: .decimal, optional: false) { .decimal(Decimal($0.facts.stock.fillRate)) },
        "stock.missing_units": FactSpec(type: .int, optional: false) { .int($0.facts.stock.missingUnits) },
        "stock.locations_needed": FactSpec(type: .int, optional: false) { .int($0.facts.stock.locationsNeeded) },
        // Without stock on its way these equal their shelf-only forms.
        "stock.covers_all_in_time": FactSpec(type: .bool, optional: false) {
            .bool($0.facts.inbound?.coversAllInTime ?? $0.facts.stock.coversAll)
        },
        "stock.ready_at": FactSpec(type: .time, optional: true) { f in
            if let inbound = f.facts.inbound { return inbound.readyAt.map(Value.time) ?? .missing }
            return f.facts.stock.coversAll ? .time(f.facts.ship.earliest) : .missing
        },
        "ship.earliest": FactSpec(type: .time, optional: false) { .time($0.facts.ship.earliest) },
        "ship.meets_ship_by": FactSpec(type: .bool, optional: false) { .bool($0.facts.ship.meetsShipBy) },
        "ship.days_late": FactSpec(type: .int, optional: false) { .int($0.facts.ship.daysLate) },
    ]

    /// Fields of `item` inside a quantifier over `items`.
    static let itemFields: [String: FactSpec] = [
        "sku": FactSpec(type: .string, optional: true) { f in line(f) { string($0.sku) } },
        "title": FactSpec(type: .string, optional: true) { f in line(f) { string($0.title) } },
        "quantity": FactSpec(type: .int, optional: false) { f in line(f) { .int($0.quantity) } },
        "cost": FactSpec(type: .decimal, optional: true) { f in line(f) { $0.cost.map(Value.decimal) ?? .missing } },
        "available": FactSpec(type: .int, optional: false) { f in
            lineIndex(f).map { .int(f.facts.lines[$0].available) } ?? .missing
        },
        "inbound_in_time": FactSpec(type: .int, optional: false) { f in
            lineIndex(f).map { .int(f.facts.inbound?.lines[$0].inTime ?? 0) } ?? .missing
        },
        "covered": FactSpec(type: .bool, optional: false) { f in
            lineIndex(f).map { .bool(f.facts.lines[$0].available >= f.fr.items[$0].quantity) } ?? .missing
        },
    ]

    private static func string(_ text: String?) -> Value { text.map(Value.string) ?? .missing }

    private static func lineIndex(_ frame: EvalFrame) -> Int? {
        guard case .item(let index) = frame.items.last, index < frame.fr.items.count, index < frame.facts.lines.count
        else { return nil }
        return index
    }

    private static func line(_ frame: EvalFrame, _ read: (FulfillmentRequestItem) -> Value) -> Value {
        guard case .item(let index) = frame.items.last, index < frame.fr.items.count else { return .missing }
        return read(frame.fr.items[index])
    }
}
