import Foundation

/// What a person decided for a held FR (`source-agent decide`, the web console).
public enum ManualAction: Sendable, Equatable {
    /// The whole FR; `force` accepts backordering what stock does not cover.
    case acknowledge(force: Bool)
    /// What stock covers; the rest cancelled with `remainder`.
    case split(remainder: Remainder)
    case cancel(reason: DecisionReason, remainder: Remainder)
    /// Stays held for a person; from `until` (when given) the rules take it again.
    case keepHolding(until: Date?)
}

/// A person's decision refused before anything was recorded, with what to do instead.
public struct ManualDecisionRefused: Error, Equatable, CustomStringConvertible {
    /// What is wrong with the person's decision.
    public var description: String
    /// The stock guard refused it: `--force` would let it through.
    public var needsForce: Bool

    /// A `ManualDecisionRefused` from its parts.
    public init(_ description: String, needsForce: Bool = false) {
        self.description = description
        self.needsForce = needsForce
    }
}

/// A person's decision goes through the same stock plan, line answers and reservations as
/// a rule's, under the rule name `manual`, so the outbox, `explain` and the report treat it
/// like any other — and the rules never overturn it.
public enum ManualDecision {
    /// The rule name every person's decision carries; a rule file may not use it.
    public static let rule = "manual"

    /// A person's decision for `fr`, planned against `ledger` (which it reserves from), or why it is refused.
    public static func decide(
        _ fr: FulfillmentRequest, action: ManualAction, by person: String, note: String?, ruleSet: RuleSet,
        ledger: inout StockLedger, now: Date
    ) throws(ManualDecisionRefused) -> FRDecision {
        let plan = StockPlanner.plan(fr, ledger: ledger, policy: ruleSet.stockPolicy)
        let facts = Decider.facts(fr, plan: plan, ruleSet: ruleSet, now: now, ledger: ledger)
        var trace = DecisionTrace(rules: [RuleTrace(rule: rule, matched: true, checks: [])])
        trace.notes.append("decided by \(person)" + (note.map { ": \($0)" } ?? ""))
        var outcome = RuleDecision(
            decision: .hold, rule: rule, reason: nil, remainder: nil, note: note, trace: trace)
        var holdUntil: Date?
        switch action {
        case .acknowledge(let force):
            let short = backorders(plan)
            if !short.isEmpty && !force {
                throw ManualDecisionRefused(
                    "acknowledging \(fr.displayName) would backorder \(short.joined(separator: ", ")); "
                        + "force it to acknowledge anyway (--force, or 'even beyond stock' in the console), "
                        + "or split to ship what is in stock", needsForce: true)
            }
            outcome.decision = .acknowledge
        case .split(let remainder):
            if !facts.stock.coversAny {
                throw ManualDecisionRefused(
                    "stock covers no unit of \(fr.displayName), so there is nothing to split; "
                        + "cancel it, or force an acknowledge to backorder it")
            }
            outcome.decision = .split
            outcome.remainder = remainder
            if facts.stock.coversAll {
                outcome.decision = .acknowledge
                outcome.remainder = nil
                outcome.trace.notes.append("split acts as acknowledge: stock covers every unit")
            }
        case .cancel(let reason, let remainder):
            outcome.decision = .cancel
            outcome.reason = reason
            outcome.remainder = remainder
        case .keepHolding(let until):
            if let until, until <= now {
                throw ManualDecisionRefused("--until \(Timestamp.utcString(until)) is not in the future")
            }
            holdUntil = until
            outcome.trace.notes.append(
                until.map { "kept on hold by a person; the rules take it again from \(Timestamp.utcString($0))" }
                    ?? "kept on hold by a person until a person decides it")
        }
        var decision = Decider.apply(outcome, to: fr, plan: plan, facts: facts, ruleSet: ruleSet, ledger: &ledger)
        decision.decidedBy = person
        decision.holdUntil = holdUntil
        return decision
    }

    /// Whether a logged decision is a person's hold still in force at `now`: the rules leave
    /// such an FR alone.
    public static func holdsFR(decision: DecisionKind, rule: String, holdUntil: Date?, at now: Date) -> Bool {
        decision == .hold && rule == Self.rule && (holdUntil.map { $0 > now } ?? true)
    }

    /// `3 × SKU-1 (1 free)` for each line stock does not cover.
    static func backorders(_ plan: StockPlan) -> [String] {
        plan.lines.filter { $0.promised < $0.quantity }.map { line in
            "\(line.quantity - line.promised) × \(line.sku ?? "line \(line.index + 1)") (\(line.promised) free)"
        }
    }
}
