import Foundation

/// The rule set's answer for one FR, before the stock plan turns it into line quantities.
public struct RuleDecision: Sendable, Equatable, Codable {
    /// What the matched rule says to do.
    public var decision: DecisionKind
    /// The rule that matched, or `default`.
    public var rule: String
    /// Why, for a cancel (Flxpoint's vocabulary).
    public var reason: DecisionReason?
    /// What happens to the cancelled quantity of a split or cancel.
    public var remainder: Remainder?
    /// The rule's note with the FR's facts filled in.
    public var note: String?
    /// The rules tried and their checks.
    public var trace: DecisionTrace
    /// The matched hold rule's escalation, if it has one.
    public var escalate: Escalation?
    /// The matched rule promises stock on its way (`from: inbound`), after the shelf's.
    public var fromInbound = false

    enum CodingKeys: String, CodingKey { case decision, rule, reason, remainder, note, trace }

    /// A `RuleDecision` from its parts.
    public init(
        decision: DecisionKind, rule: String, reason: DecisionReason?, remainder: Remainder?, note: String?,
        trace: DecisionTrace
    ) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.remainder = remainder
        self.note = note
        self.trace = trace
    }
}

extension RuleSet {
    /// First matching rule wins, else `default`. Pure and total: a missing optional fact
    /// makes comparisons false rather than failing. Untraced, the trace names only the rule
    /// that matched; evaluating again traced gives the same decision with every rule tried
    /// and its checks.
    public func decide(_ fr: FulfillmentRequest, facts: Facts, traced: Bool = true) -> RuleDecision {
        let frame = EvalFrame(fr: fr, facts: facts, zone: calendar.timeZone, traced: traced)
        var trace = DecisionTrace()
        var chosen = fallback
        for rule in rules {
            frame.checks.removeAll(keepingCapacity: true)
            let matched = rule.when(frame).isTrue
            // Untraced, only the rule that matched is named.
            if traced || matched {
                trace.rules.append(RuleTrace(rule: rule.name, matched: matched, checks: frame.checks))
            }
            if matched {
                chosen = rule
                break
            }
        }
        if chosen.name == fallback.name {
            trace.rules.append(RuleTrace(rule: fallback.name, matched: true, checks: []))
        }
        frame.checks.removeAll()
        var outcome = chosen.outcome
        // From inbound, what counts as covered includes the units that land in time.
        let inTime = outcome.fromInbound ? facts.inbound?.inTime ?? 0 : 0
        if outcome.decision == .split {
            if facts.stock.coversAll || (outcome.fromInbound && facts.inbound?.coversAllInTime == true) {
                outcome.decision = .acknowledge
                outcome.remainder = nil
                trace.notes.append("split acts as acknowledge: stock covers every unit")
            } else if !facts.stock.coversAny && inTime == 0 {
                outcome.decision = .cancel
                outcome.reason = .outOfStock
                trace.notes.append("split acts as cancel (out_of_stock): stock covers no unit")
            }
        }
        var decided = RuleDecision(
            decision: outcome.decision, rule: chosen.name, reason: outcome.reason, remainder: outcome.remainder,
            note: outcome.note?.render(frame), trace: trace)
        decided.escalate = outcome.escalate
        decided.fromInbound = outcome.fromInbound && facts.inbound != nil
        return decided
    }
}
