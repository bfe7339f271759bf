import Foundation

/// On-hand and reserved units of a SKU at a location when a decision was taken.
public struct StockFigure: Codable, Sendable, Equatable {
    /// Units counted at the location.
    public var onHand: Int
    /// Units promised to answers and not yet shipped.
    public var reserved: Int

    /// A `StockFigure` from its parts.
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

/// The one decision pipeline: `run`, `dry-run`, `replay` and `rules test`
/// all decide through it, so what `dry-run` shows is what `run` would do.
public enum DecisionCycle {
    /// Decides a cycle's FRs oldest first against `ledger` (each seeing the reservations of
    /// those before it), escalating holds by `heldSince`, giving way to `waiting` (other
    /// sources' older FRs in `pool`), then applies the guard and, when `paused`, turns every
    /// answer into a hold. Each decision carries the stock figures it saw. This is `Stream`
    /// run over an array, so a batch (dry-run, replay, rules test) and `run` decide alike.
    /// `traced: false` leaves each rule's checks out of the trace, for callers that do not show it.
    public static func decide(
        _ frs: [FulfillmentRequest], ruleSet: RuleSet, ledger: inout StockLedger, now: Date,
        heldSince: [Int: Date] = [:], paused: Bool = false, traced: Bool = true,
        giveWayTo waiting: [FulfillmentRequest] = [], pool: String = ""
    ) -> CycleOutcome {
        let ordered = Decider.oldestFirst(frs)
        var stream = Stream(
            ruleSet: ruleSet, ledger: ledger, now: now, heldSince: heldSince, paused: paused, traced: traced)
        // The stream now holds the only reference to the ledger's storage, so reserving units
        // changes it in place instead of copying it (replay decides 100,000 one-FR cycles).
        ledger = StockLedger()
        if !waiting.isEmpty { stream.giveWay(to: waiting, pool: pool) }
        let decisions: [FRDecision]
        if stream.guardApplies(cycleSize: ordered.count) {
            // The whole cycle is in memory, so the guard's count comes from the decisions
            // themselves rather than from a first pass deciding every FR again: a guard hold
            // or a pause hold takes no units back, so holding a cancel afterwards leaves the
            // ledger as `next` would.
            let ruled = ordered.map { stream.ruled($0) }
            stream.count(decided: ruled)
            stream.settleGuard(cycleSize: ordered.count)
            decisions = ruled.map { stream.finished($0) }
        } else {
            stream.settleGuard(cycleSize: ordered.count)
            decisions = ordered.map { stream.next($0) }
        }
        ledger = stream.ledger
        return CycleOutcome(decisions: decisions, guardTripped: stream.guardTripped)
    }

    /// One FR against the cycle's ledger, with the stock figures it saw.
    static func decideOne(
        _ fr: FulfillmentRequest, ruleSet: RuleSet, ledger: inout StockLedger, now: Date, heldSince: Date?,
        traced: Bool
    ) -> FRDecision {
        let figures = Self.figures(for: fr, in: ledger)
        var decision = Decider.decide(
            fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince, traced: traced)
        decision.stockFigures = figures
        return decision
    }

    /// The same cycle as `decide`, a decision at a time, so a backlog of any size is decided
    /// and recorded in constant memory. The guard needs the whole cycle's cancels before the
    /// first answer is kept, so a first pass (`count`, then `settleGuard`) counts them without
    /// keeping any decision; the second (`next`), from the same ledger in the same order,
    /// decides exactly the same way.
    public struct Stream: Sendable {
        let ruleSet: RuleSet
        let now: Date
        let heldSince: [Int: Date]
        let paused: Bool
        let traced: Bool
        /// The ledger as the decisions so far left it.
        public private(set) var ledger: StockLedger
        /// The first pass's own ledger (made when the pass starts) and count.
        var counting: StockLedger?
        var cancels = 0
        /// The guard's note when it tripped: every cancel of the cycle is held with it.
        public private(set) var guardNote: String?
        /// Older FRs of other sources drawing on the same stock pool, seen but not decided yet.
        var ahead = GiveWay()
        var countingAhead = GiveWay()

        /// `traced: false` leaves each rule's checks out of the decisions' traces.
        public init(
            ruleSet: RuleSet, ledger: StockLedger, now: Date, heldSince: [Int: Date] = [:], paused: Bool = false,
            traced: Bool = true
        ) {
            self.ruleSet = ruleSet
            self.now = now
            self.heldSince = heldSince
            self.paused = paused
            self.traced = traced
            self.ledger = ledger
        }

        /// Whether a cycle of this size needs the first pass at all.
        public func guardApplies(cycleSize: Int) -> Bool {
            ruleSet.guards.maxCancelShare != nil && cycleSize >= ruleSet.guards.minCycleSize
        }

        /// The pool is decided oldest first across its sources: each of `frs` (another source's,
        /// seen by its poll and not decided yet) keeps the units its stock plan would take from
        /// this cycle's younger FRs. An FR of this cycle that those units would have served and
        /// that stock no longer covers whole is held for one cycle rather than split or cancelled:
        /// the other source may yet not take them.
        public mutating func giveWay(to frs: [FulfillmentRequest], pool: String) {
            ahead = GiveWay(frs: Decider.oldestFirst(frs), pool: pool)
            countingAhead = ahead
        }

        /// The first pass: decides the cycle's FRs, oldest first, keeping only the count of cancels.
        public mutating func count(_ frs: some Sequence<FulfillmentRequest>) {
            var counting = self.counting ?? ledger
            self.counting = nil  // so the pass changes its ledger in place
            for fr in frs {
                let decision = countingAhead.decide(fr, ledger: &counting, policy: ruleSet.stockPolicy) { ledger in
                    Decider.decide(
                        fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: false)
                }
                if decision.decision == .cancel { cancels += 1 }
            }
            self.counting = counting
        }

        /// After the first pass: whether the guard holds this cycle's cancels.
        public mutating func settleGuard(cycleSize: Int) {
            guardNote = CycleGuard.note(ruleSet.guards, cancels: cancels, of: cycleSize)
        }

        /// The guard has turned this cycle's cancels into holds.
        public var guardTripped: Bool { guardNote != nil }

        /// The next FR's decision, with the guard and the pause applied.
        public mutating func next(_ fr: FulfillmentRequest) -> FRDecision { finished(ruled(fr)) }

        /// The next FR's decision by the rules (and giving way), before the guard and the pause.
        mutating func ruled(_ fr: FulfillmentRequest) -> FRDecision {
            ahead.decide(fr, ledger: &ledger, policy: ruleSet.stockPolicy) { ledger in
                DecisionCycle.decideOne(
                    fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: traced)
            }
        }

        /// Counts the cancels among decisions `ruled` took, for the guard.
        mutating func count(decided: [FRDecision]) {
            cancels += decided.count { $0.decision == .cancel }
        }

        /// A ruled decision with the guard and the pause applied.
        func finished(_ ruled: FRDecision) -> FRDecision {
            var decision = ruled
            if let guardNote, decision.decision == .cancel { decision = CycleGuard.held(decision, note: guardNote) }
            if paused, decision.decision != .hold { decision = DecisionCycle.heldForPause(decision) }
            return decision
        }
    }

    /// The stock the FR's SKUs have in `ledger`, a kit's by its components: SKU → location →
    /// figures.
    static func figures(for fr: FulfillmentRequest, in ledger: StockLedger) -> [String: [String: StockFigure]] {
        var out: [String: [String: StockFigure]] = [:]
        let skus = fr.items.compactMap(\.sku).flatMap { ledger.kits.components(of: $0)?.map(\.sku) ?? [$0] }
        for sku in Set(skus) {
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
        decision.held(
            by: .paused, note: pausedNotePrefix + "\(decision.decision.rawValue) by rule \(decision.rule)",
            trace: "the agent is paused: nothing is sent")
    }
}
