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

/// The one decision pipeline: `run`, `dry-run`, `replay` and `rules test`
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
            decideOne(fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: traced)
        }
        let tripped = CycleGuard.apply(ruleSet.guards, to: &decisions)
        if paused {
            for index in decisions.indices where decisions[index].decision != .hold {
                decisions[index] = heldForPause(decisions[index])
            }
        }
        return CycleOutcome(decisions: decisions, guardTripped: tripped)
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
        var ledger: StockLedger
        /// The first pass's own ledger and count.
        var counting: StockLedger
        var cancels = 0
        /// The guard's note when it tripped: every cancel of the cycle is held with it.
        public private(set) var guardNote: String?
        /// Older FRs of other sources drawing on the same stock pool, seen but not decided yet.
        var ahead = GiveWay()
        var countingAhead = GiveWay()

        public init(
            ruleSet: RuleSet, ledger: StockLedger, now: Date, heldSince: [Int: Date] = [:], paused: Bool = false
        ) {
            self.ruleSet = ruleSet
            self.now = now
            self.heldSince = heldSince
            self.paused = paused
            self.ledger = ledger
            counting = ledger
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
            for fr in frs {
                let decision = countingAhead.decide(fr, ledger: &counting, policy: ruleSet.stockPolicy) { ledger in
                    Decider.decide(
                        fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: false)
                }
                if decision.decision == .cancel { cancels += 1 }
            }
        }

        /// After the first pass: whether the guard holds this cycle's cancels.
        public mutating func settleGuard(cycleSize: Int) {
            guardNote = CycleGuard.note(ruleSet.guards, cancels: cancels, of: cycleSize)
        }

        public var guardTripped: Bool { guardNote != nil }

        /// The next FR's decision, with the guard and the pause applied.
        public mutating func next(_ fr: FulfillmentRequest) -> FRDecision {
            var decision = ahead.decide(fr, ledger: &ledger, policy: ruleSet.stockPolicy) { ledger in
                DecisionCycle.decideOne(
                    fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince[fr.id], traced: true)
            }
            if let guardNote, decision.decision == .cancel { decision = CycleGuard.held(decision, note: guardNote) }
            if paused, decision.decision != .hold { decision = DecisionCycle.heldForPause(decision) }
            return decision
        }
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
        let cancels = decisions.count { $0.decision == .cancel }
        guard let note = note(guards, cancels: cancels, of: decisions.count) else { return false }
        for index in decisions.indices where decisions[index].decision == .cancel {
            decisions[index] = held(decisions[index], note: note)
        }
        return true
    }

    /// The note the guard holds cancels with, or nil when `cancels` of `count` is within bounds.
    static func note(_ guards: Guards, cancels: Int, of count: Int) -> String? {
        guard let share = guards.maxCancelShare, count >= guards.minCycleSize,
            Double(cancels) > share * Double(count)
        else { return nil }
        return "guard: \(cancels) of \(count) FRs in this cycle would be cancelled"
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

/// Other sources' older FRs, waiting in a shared stock pool for their own source to decide
/// them: `DecisionCycle.Stream.giveWay(to:pool:)`.
struct GiveWay: Sendable {
    var frs: [FulfillmentRequest] = []
    var pool = ""
    /// How many of `frs` have had their units set aside.
    var done = 0
    /// SKUs some of whose units were set aside.
    var skus = Set<String>()

    /// Sets aside, in `ledger`, the units of every waiting FR older than `fr`; true when `fr`
    /// asks for a SKU that lost units so.
    mutating func holdsBack(_ fr: FulfillmentRequest, ledger: inout StockLedger, policy: StockPolicy) -> Bool {
        guard !frs.isEmpty else { return false }
        while done < frs.count, Decider.precedes((frs[done].createdAt, frs[done].id), (fr.createdAt, fr.id)) {
            let plan = StockPlanner.plan(frs[done], ledger: ledger, policy: policy)
            for line in plan.lines {
                guard let sku = line.sku else { continue }
                for allocation in line.allocations {
                    ledger.reserve(sku: sku, location: allocation.location, quantity: allocation.quantity)
                    skus.insert(sku)
                }
            }
            done += 1
        }
        return !skus.isEmpty && fr.items.contains { $0.sku.map(skus.contains) ?? false }
    }

    /// `fr` as `decide` decides it against `ledger`, after the waiting FRs older than it set
    /// their units aside. When those units were ones `fr` asks for and it is not acknowledged
    /// whole, it is held instead and `ledger` keeps nothing of its decision.
    mutating func decide(
        _ fr: FulfillmentRequest, ledger: inout StockLedger, policy: StockPolicy,
        _ decide: (inout StockLedger) -> FRDecision
    ) -> FRDecision {
        guard holdsBack(fr, ledger: &ledger, policy: policy) else { return decide(&ledger) }
        var trial = ledger
        let decision = decide(&trial)
        guard decision.decision == .acknowledge else { return held(decision) }
        ledger = trial
        return decision
    }

    /// `decision`, which the set-aside units changed, held until the next cycle.
    func held(_ decision: FRDecision) -> FRDecision {
        var held = decision
        held.note =
            "older FRs of other sources in stock pool \(pool) come first; decided again next cycle "
            + "(\(decision.decision.rawValue) by rule \(decision.rule) with what is left)"
        held.decision = .hold
        held.reason = nil
        held.remainder = nil
        held.lines = []
        held.reservations = []
        held.trace.notes.append(
            "units of \(skus.sorted().joined(separator: ", ")) set aside for older FRs of other sources in stock pool "
                + "\(pool), not decided yet")
        return held
    }
}
