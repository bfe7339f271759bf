import Foundation
import FulfillmentCore

/// A logged decision with the FR as it was decided, read in batches for `replay`.
public struct LoggedDecision: Sendable {
    public var id: Int64
    public var frId: Int
    public var frNumber: String?
    public var decidedAt: Date
    /// What was logged: decision, rule, reason, note and lines; nil when it cannot be read.
    public var outcome: ReplayOutcome?
    /// The "now", first-held time and stock the decision used.
    public var now: Date
    public var heldSince: Date?
    /// The FR's JSON when decided; for decisions logged before v4, the latest JSON seen.
    public var frJSON: String
    public var stockFigures: [String: [String: StockFigure]]
    /// The kits its lines were promised as (none for decisions without kits).
    public var kits: [Kit]
    /// What changed the rules' own decision (the pause, the guard), which replay redoes.
    public var override: DecisionOverride?

    public init(
        id: Int64, frId: Int, frNumber: String? = nil, decidedAt: Date, outcome: ReplayOutcome? = nil, now: Date,
        heldSince: Date? = nil, frJSON: String, stockFigures: [String: [String: StockFigure]], kits: [Kit] = [],
        override: DecisionOverride? = nil
    ) {
        self.kits = kits
        self.id = id
        self.frId = frId
        self.frNumber = frNumber
        self.decidedAt = decidedAt
        self.outcome = outcome
        self.now = now
        self.heldSince = heldSince
        self.frJSON = frJSON
        self.stockFigures = stockFigures
        self.override = override
    }
}

extension LoggedDecision {
    /// A logged decision from its stored columns, whichever engine read them: the outcome is
    /// nil when its decision or lines cannot be read, and only `stockFigures` and `kits` are
    /// taken from the logged facts (the rest of them is skipped unparsed).
    public init(
        id: Int64, frId: Int, frNumber: String?, decidedAt: Date, decision: DecisionKind?, rule: String,
        reason: DecisionReason?, note: String?, linesJSON: String?, factsJSON: String?, now: Date, heldSince: Date?,
        frJSON: String, override: DecisionOverride?
    ) {
        let lines = linesJSON.flatMap { try? LineAnswer.list(json: Array($0.utf8)) }
        var outcome: ReplayOutcome?
        if let decision, let lines {
            outcome = ReplayOutcome(decision: decision, rule: rule, reason: reason, note: note, lines: lines)
        }
        let stored = factsJSON.flatMap { try? JSONParser.member("stockFigures", of: $0.utf8) }
        self.init(
            id: id, frId: frId, frNumber: frNumber, decidedAt: decidedAt, outcome: outcome, now: now,
            heldSince: heldSince, frJSON: frJSON, stockFigures: stored.flatMap(StockFigure.figures) ?? [:],
            kits: DecisionBasis.kits(inBasis: factsJSON), override: override)
    }
}
