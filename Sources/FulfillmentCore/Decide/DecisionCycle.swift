import Foundation

/// On-hand and reserved units of a SKU at a location when a decision was taken.
public struct StockFigure: Codable, Sendable, Equatable {
    public var onHand: Int
    public var reserved: Int

    public init(onHand: Int, reserved: Int) {
        self.onHand = onHand
        self.reserved = reserved
    }
}

/// What one cycle decided, with the cycle-wide policy already applied.
public struct CycleOutcome: Sendable, Equatable {
    /// Oldest FR first.
    public var decisions: [FRDecision]
    /// The guard turned the cycle's cancels into holds.
    public var guardTripped: Bool
}

/// The one decision pipeline (ARCHITECTURE.md): `run`, `dry-run`, `replay` and `rules test`
/// all decide through it, so what `dry-run` shows is what `run` would do.
public enum DecisionCycle {
    /// Decides a cycle's FRs oldest first against `ledger` (each seeing the reservations of
    /// those before it), escalating holds by `heldSince`, then applies the guard and, when
    /// `paused`, turns every answer into a hold. Each decision carries the stock figures it saw.
    /// `traced: false` leaves each rule's checks out of the trace, for callers that do not show it.
    public static func decide(
        _ frs: [FulfillmentRequest], ruleSet: RuleSet, ledger: inout StockLedger, now: Date,
        heldSince: [Int: Date] = [:], paused: Bool = false, traced: Bool = true
    ) -> CycleOutcome {
        var decisions = Decider.oldestFirst(frs).map { fr in
            let figures = Self.figures(for: fr, in: ledger)
            var decision = Decider.decide(
                fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: traced)
            decision.stockFigures = figures
            return decision
        }
        let tripped = CycleGuard.apply(ruleSet.guards, to: &decisions)
        if paused {
            for index in decisions.indices where decisions[index].decision != .hold {
                decisions[index] = heldForPause(decisions[index])
            }
        }
        return CycleOutcome(decisions: decisions, guardTripped: tripped)
    }

    /// The stock the FR's SKUs have in `ledger`: SKU → location → figures.
    static func figures(for fr: FulfillmentRequest, in ledger: StockLedger) -> [String: [String: StockFigure]] {
        var out: [String: [String: StockFigure]] = [:]
        for sku in Set(fr.items.compactMap(\.sku)) {
            for location in ledger.locations(of: sku) {
                out[sku, default: [:]][location] = StockFigure(
                    onHand: ledger.onHand[sku]?[location] ?? 0, reserved: ledger.reserved[sku]?[location] ?? 0)
            }
        }
        return out
    }

    /// How the note of a hold made by the pause starts.
    public static let pausedNotePrefix = "paused; would "

    /// While paused nothing is answered: the decision is kept as a hold that says what it would have done.
    public static func heldForPause(_ decision: FRDecision) -> FRDecision {
        var held = decision
        held.note = pausedNotePrefix + "\(decision.decision.rawValue) by rule \(decision.rule)"
        held.decision = .hold
        held.reason = nil
        held.remainder = nil
        held.lines = []
        held.reservations = []
        held.trace.notes.append("the agent is paused: nothing is sent")
        return held
    }
}

/// The rule file's safety guard: a cycle that would cancel too large a share of its FRs
/// holds those cancels for a person instead, because a bad stock file or rule change
/// looks exactly like that.
enum CycleGuard {
    /// Returns true when the guard tripped (and turned the cancels into holds).
    static func apply(_ guards: Guards, to decisions: inout [FRDecision]) -> Bool {
        guard let share = guards.maxCancelShare, decisions.count >= guards.minCycleSize else { return false }
        let cancels = decisions.count { $0.decision == .cancel }
        guard Double(cancels) > share * Double(decisions.count) else { return false }
        let note = "guard: \(cancels) of \(decisions.count) FRs in this cycle would be cancelled"
        for index in decisions.indices where decisions[index].decision == .cancel {
            decisions[index] = held(decisions[index], note: note)
        }
        return true
    }

    /// A cancel the guard holds for review; `note` says why.
    static func held(_ cancel: FRDecision, note: String) -> FRDecision {
        var held = cancel
        held.note = "\(note); was cancel (\(cancel.reason?.rawValue ?? "no reason")) by rule \(cancel.rule)"
        held.decision = .hold
        held.reason = .guardHold
        held.remainder = nil
        held.lines = []
        held.trace.notes.append("guard tripped: cancels above max_cancel_share are held for review")
        return held
    }
}
