import Foundation
import FulfillmentCore

extension DecisionRecord {
    /// The full decision this row logged, for `explain` and reports: its JSON columns read back.
    public func fullDecision(frNumber: String?) throws -> FRDecision {
        let basis = try StoredJSON.decode(DecisionBasis.self, factsJSON)
        var decision = FRDecision(
            frId: frId, frNumber: frNumber, decision: self.decision, rule: rule, reason: reason, remainder: remainder,
            note: note, lines: try StoredJSON.decode([LineAnswer].self, linesJSON),
            trace: try StoredJSON.decode(DecisionTrace.self, traceJSON), facts: basis.facts,
            stockPlan: basis.stockPlan, reservations: basis.reservations, ruleFileSHA256: rulesSHA256)
        decision.stockFigures = basis.stockFigures
        decision.decidedBy = decidedBy
        decision.holdUntil = holdUntil
        decision.override = override
        return decision
    }
}
