import Foundation

/// A logged decision with everything it was decided from, for `replay`.
public struct ReplayInput: Sendable {
    /// The FR as it was decided.
    public var fr: FulfillmentRequest
    /// The "now" the decision used.
    public var now: Date
    /// When it was first held, for escalation.
    public var heldSince: Date?
    /// SKU → location → the stock the decision saw.
    public var stockFigures: [String: [String: StockFigure]]
    /// The kits the FR's lines were promised as, each by its stocked components.
    public var kits: [Kit]
    /// What the log says was decided.
    public var logged: ReplayOutcome
    /// What changed the logged decision from the rules' own (the pause, the guard).
    public var loggedOverride: DecisionOverride?

    /// A `ReplayInput` from its parts.
    public init(
        fr: FulfillmentRequest, now: Date, heldSince: Date?, stockFigures: [String: [String: StockFigure]],
        kits: [Kit] = [], logged: ReplayOutcome, loggedOverride: DecisionOverride? = nil
    ) {
        self.kits = kits
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
    /// What was decided.
    public var decision: DecisionKind
    /// The rule that decided it.
    public var rule: String
    /// Why, for a cancel.
    public var reason: DecisionReason?
    /// The note, with facts filled in.
    public var note: String?
    /// The answer's line quantities.
    public var lines: [LineAnswer]

    /// A `ReplayOutcome` from its parts.
    public init(decision: DecisionKind, rule: String, reason: DecisionReason?, note: String?, lines: [LineAnswer]) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.note = note
        self.lines = lines
    }

    /// A `ReplayOutcome` from its parts.
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
            },
            // Stored already expanded to stocked components, so they cannot loop.
            kits: (try? KitCatalog(input.kits)) ?? .empty)
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
