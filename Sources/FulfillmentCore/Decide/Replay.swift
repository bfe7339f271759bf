import Foundation

/// A logged decision with everything it was decided from, for `replay`.
public struct ReplayInput: Sendable {
    public var fr: FulfillmentRequest
    /// The "now" the decision used.
    public var now: Date
    public var heldSince: Date?
    /// SKU → location → the stock the decision saw.
    public var stockFigures: [String: [String: StockFigure]]
    public var logged: ReplayOutcome
    /// What changed the logged decision from the rules' own (the pause, the guard).
    public var loggedOverride: DecisionOverride?

    public init(
        fr: FulfillmentRequest, now: Date, heldSince: Date?, stockFigures: [String: [String: StockFigure]],
        logged: ReplayOutcome, loggedOverride: DecisionOverride? = nil
    ) {
        self.loggedOverride = loggedOverride
        self.fr = fr
        self.now = now
        self.heldSince = heldSince
        self.stockFigures = stockFigures
        self.logged = logged
    }
}

/// The parts of a decision replay compares.
public struct ReplayOutcome: Sendable, Equatable, Codable {
    public var decision: DecisionKind
    public var rule: String
    public var reason: DecisionReason?
    public var note: String?
    public var lines: [LineAnswer]

    public init(decision: DecisionKind, rule: String, reason: DecisionReason?, note: String?, lines: [LineAnswer]) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.note = note
        self.lines = lines
    }

    public init(_ decision: FRDecision) {
        self.init(
            decision: decision.decision, rule: decision.rule, reason: decision.reason, note: decision.note,
            lines: decision.lines)
    }
}

/// What would change in one decision.
public enum ReplayChange: String, Sendable, CaseIterable, Codable {
    case decision, rule, lines
}

/// Re-decides logged decisions from their stored inputs under another rule file.
public enum Replay {
    /// Decides the FR again as the cycle did: the same FR, "now", held-since and stock. A
    /// decision the guard or the pause turned into a hold is turned into one again when the
    /// new rules decide the same way, since those are cycle-wide states replay cannot redo.
    /// Untraced unless asked: replay compares outcomes, and a change can be explained by
    /// deciding that one FR again traced.
    public static func redecide(_ input: ReplayInput, ruleSet: RuleSet, traced: Bool = false) -> FRDecision {
        var ledger = StockLedger(
            levels: input.stockFigures.flatMap { sku, locations in
                locations.map { StockLevel(sku: sku, location: $0.key, onHand: $0.value.onHand) }
            },
            reservations: input.stockFigures.flatMap { sku, locations in
                locations.compactMap {
                    $0.value.reserved > 0
                        ? StockReservation(sku: sku, location: $0.key, quantity: $0.value.reserved) : nil
                }
            })
        let paused = input.loggedOverride == .paused
        var decision = DecisionCycle.decide(
            [input.fr], ruleSet: ruleSet, ledger: &ledger, now: input.now,
            heldSince: input.heldSince.map { [input.fr.id: $0] } ?? [:], paused: paused, traced: traced
        ).decisions[0]
        if input.loggedOverride == .guardHold, decision.decision == .cancel {
            decision = CycleGuard.held(decision, note: "guard")
        }
        return decision
    }

    /// What differs between the logged outcome and the replayed one.
    public static func changes(_ before: ReplayOutcome, _ after: ReplayOutcome) -> Set<ReplayChange> {
        var out: Set<ReplayChange> = []
        if before.decision != after.decision { out.insert(.decision) }
        if before.rule != after.rule { out.insert(.rule) }
        if before.lines != after.lines { out.insert(.lines) }
        return out
    }
}
