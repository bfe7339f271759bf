// FulfillmentCore is pure: no I/O, no clock, no network. Decide: turning an FR, stock and "now" into a decision,
// one FR (`Decider`) or a cycle (`DecisionCycle`).

import Foundation

/// The answer for one FR line: how many units are acknowledged and how many cancelled.
public struct LineAnswer: Sendable, Equatable, Codable {
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

    /// A `LineAnswer` from its parts.
    public init(itemId: Int?, sku: String?, quantity: Int, acknowledged: Int, cancelled: Int) {
        self.itemId = itemId
        self.sku = sku
        self.quantity = quantity
        self.acknowledged = acknowledged
        self.cancelled = cancelled
    }
}

/// A complete decision for one FR, with everything needed to explain or replay it.
public struct FRDecision: Sendable, Equatable, Codable {
    /// The FR decided.
    public var frId: Int
    /// Its number, for people.
    public var frNumber: String?
    /// What was decided.
    public var decision: DecisionKind
    /// The rule that decided it, `default`, or a person's `manual`.
    public var rule: String
    /// Why, for a cancel (Flxpoint's vocabulary).
    public var reason: DecisionReason?
    /// What happens to the cancelled quantity.
    public var remainder: Remainder?
    /// The note for people, with facts filled in.
    public var note: String?
    /// Per-line quantities for acknowledge, split and cancel; empty for hold.
    public var lines: [LineAnswer]
    /// The rules tried and their checks.
    public var trace: DecisionTrace
    /// The facts the rules saw.
    public var facts: Facts
    /// Which locations fill which lines.
    public var stockPlan: StockPlan
    /// Units this decision holds back from later FRs.
    public var reservations: [StockReservation]
    /// SHA-256 of the rule file that decided it, for replay and explain.
    public var ruleFileSHA256: String
    /// SKU → location → the stock the FR's SKUs had when it was decided.
    public var stockFigures: [String: [String: StockFigure]] = [:]
    /// The person who took this decision (rule `manual`); nil when the rules took it.
    public var decidedBy: String?
    /// A person's `keep-holding --until`: the rules take the FR again from then.
    public var holdUntil: Date?
    /// What changed the rules' own decision (pause, guard, give-way, escalation); nil when
    /// the decision is the rules' or a person's as taken.
    public var override: DecisionOverride?

    /// A `FRDecision` from its parts.
    public init(
        frId: Int, frNumber: String?, decision: DecisionKind, rule: String, reason: DecisionReason?,
        remainder: Remainder?, note: String?, lines: [LineAnswer], trace: DecisionTrace, facts: Facts,
        stockPlan: StockPlan, reservations: [StockReservation], ruleFileSHA256: String
    ) {
        self.frId = frId
        self.frNumber = frNumber
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.remainder = remainder
        self.note = note
        self.lines = lines
        self.trace = trace
        self.facts = facts
        self.stockPlan = stockPlan
        self.reservations = reservations
        self.ruleFileSHA256 = ruleFileSHA256
    }
}

/// Computes the facts for an FR, runs the rules and turns the outcome into line answers.
public enum Decider {
    /// Decides one FR against `ledger` and applies its reservations to it. `heldSince`: when
    /// the FR was first held, for hold escalation; `traced`: whether the trace shows each check.
    public static func decide(
        _ fr: FulfillmentRequest, ruleSet: RuleSet, ledger: inout StockLedger, now: Date, heldSince: Date? = nil,
        traced: Bool = true
    ) -> FRDecision {
        let plan = StockPlanner.plan(fr, ledger: ledger, policy: ruleSet.stockPolicy)
        let facts = Self.facts(fr, plan: plan, ruleSet: ruleSet, now: now, ledger: ledger)
        var ruled = ruleSet.decide(fr, facts: facts, traced: traced)
        var escalated = false
        if ruled.decision == .hold, let escalate = ruled.escalate {
            let since = heldSince ?? now
            let deadline = ruleSet.calendar.shipByDeadline(fr.shipBy)
            if let fires = escalate.firesAt(heldSince: since, shipByDeadline: deadline), now >= fires {
                ruled.decision = escalate.then
                ruled.reason = escalate.then == .cancel ? escalate.reason : nil
                ruled.remainder = escalate.then == .cancel ? .fill : nil
                escalated = true
                ruled.trace.notes.append(
                    "escalated: held since \(Timestamp.utcString(since)); \(escalate.then.rawValue) from "
                        + Timestamp.utcString(fires))
            }
        }
        var decision = apply(ruled, to: fr, plan: plan, facts: facts, ruleSet: ruleSet, ledger: &ledger)
        if escalated { decision.override = .escalated }
        return decision
    }

    /// What the rules may ask about `fr`, with `plan` made against the ledger it is decided on.
    public static func facts(
        _ fr: FulfillmentRequest, plan: StockPlan, ruleSet: RuleSet, now: Date, ledger: StockLedger
    ) -> Facts {
        Facts(
            now: now, lines: plan.lineFacts,
            address: AddressCheck.check(fr.shippingAddress, warehouseCountry: ruleSet.calendar.country),
            stock: plan.facts, ship: ruleSet.calendar.shipFacts(now: now, shipBy: fr.shipBy),
            // Only a pool with stock on its way pays for the inbound plan, or logs one.
            inbound: ledger.hasInbound
                ? InboundPlan.plan(fr, shelf: plan, ledger: ledger, calendar: ruleSet.calendar, now: now) : nil)
    }

    /// Turns an outcome (the rules' or a person's) into line answers and reservations, and
    /// applies those to `ledger`.
    static func apply(
        _ ruled: RuleDecision, to fr: FulfillmentRequest, plan: StockPlan, facts: Facts, ruleSet: RuleSet,
        ledger: inout StockLedger
    ) -> FRDecision {
        var trace = ruled.trace
        var reservations: [StockReservation] = []
        let lines: [LineAnswer]
        // `from: inbound`: each line's units that land in time, promised after the shelf's.
        let inbound = ruled.fromInbound ? facts.inbound?.lines : nil
        let onTheirWay = { (index: Int) in inbound?[index].inTime ?? 0 }
        switch ruled.decision {
        case .acknowledge:
            lines = plan.lines.map { answer($0, acknowledged: $0.quantity) }
            reservations =
                allocations(plan) + inboundReservations(plan, inbound, zone: ruleSet.calendar.timeZone, &trace)
            let order = StockPlanner.orderedLocations(
                for: plan.lines.flatMap { $0.components?.map(\.sku) ?? ($0.sku.map { [$0] } ?? []) }, ledger: ledger,
                policy: ruleSet.stockPolicy)
            for line in plan.lines where line.promised + onTheirWay(line.index) < line.quantity {
                let short = line.quantity - line.promised - onTheirWay(line.index)
                trace.notes.append("backordered: \(short) × \(line.sku ?? "line \(line.index + 1)") not in stock")
                // A kit short of stock is backordered as its components: those are what will come in.
                if let components = line.components {
                    for component in components {
                        let location = component.allocations.first?.location ?? order.first ?? "unassigned"
                        reservations.append(
                            StockReservation(
                                sku: component.sku, location: location, quantity: short * component.perKit,
                                backordered: true))
                    }
                } else if let sku = line.sku {
                    let location = line.allocations.first?.location ?? order.first ?? "unassigned"
                    reservations.append(
                        StockReservation(sku: sku, location: location, quantity: short, backordered: true))
                }
            }
        case .split:
            lines = plan.lines.map { answer($0, acknowledged: $0.promised + onTheirWay($0.index)) }
            reservations =
                allocations(plan) + inboundReservations(plan, inbound, zone: ruleSet.calendar.timeZone, &trace)
        case .cancel:
            lines = plan.lines.map { answer($0, acknowledged: 0) }
        case .hold:
            lines = []
        }
        ledger.take(reservations)
        return FRDecision(
            frId: fr.id, frNumber: fr.number, decision: ruled.decision, rule: ruled.rule, reason: ruled.reason,
            remainder: ruled.remainder, note: ruled.note, lines: lines, trace: trace, facts: facts, stockPlan: plan,
            reservations: reservations, ruleFileSHA256: ruleSet.sha256)
    }

    /// FRs sorted by creation time, then id; an FR without a time sorts after those with one.
    public static func oldestFirst(_ frs: [FulfillmentRequest]) -> [FulfillmentRequest] {
        frs.sorted { a, b in precedes((a.createdAt, a.id), (b.createdAt, b.id)) }
    }

    /// The order of `oldestFirst`, on what it compares: creation time, then id.
    public static func precedes(_ a: (createdAt: Date?, id: Int), _ b: (createdAt: Date?, id: Int)) -> Bool {
        switch (a.createdAt, b.createdAt) {
        case (let x?, let y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.id < b.id
        }
    }

    private static func answer(_ line: LinePlan, acknowledged: Int) -> LineAnswer {
        LineAnswer(
            itemId: line.itemId, sku: line.sku, quantity: line.quantity, acknowledged: acknowledged,
            cancelled: line.quantity - acknowledged)
    }

    /// The units each line takes from arrivals that land in time, as reservations naming the
    /// arrival, each said in the trace ("on its way: …").
    private static func inboundReservations(
        _ plan: StockPlan, _ inbound: [InboundPlan.Line]?, zone: TimeZone, _ trace: inout DecisionTrace
    ) -> [StockReservation] {
        guard let inbound else { return [] }
        var out: [StockReservation] = []
        for (line, taken) in zip(plan.lines, inbound) {
            guard let sku = line.sku else { continue }
            for take in taken.arrivals {
                out.append(
                    StockReservation(
                        sku: sku, location: take.location, quantity: take.quantity, inboundAt: take.expectedAt))
                trace.notes.append(
                    "on its way: \(take.quantity) × \(sku) lands \(HumanTime.day(take.expectedAt, zone: zone)) at "
                        + "\(take.location), ships \(Timestamp.string(take.shipsAt, in: zone))")
            }
        }
        return out
    }

    private static func allocations(_ plan: StockPlan) -> [StockReservation] {
        plan.lines.flatMap { line in
            line.shelfUnits.map {
                StockReservation(sku: $0.sku, location: $0.allocation.location, quantity: $0.allocation.quantity)
            }
        }
    }
}
