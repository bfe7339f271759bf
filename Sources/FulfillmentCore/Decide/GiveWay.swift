import Foundation

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
                for (sku, allocation) in line.shelfUnits {
                    ledger.reserve(sku: sku, location: allocation.location, quantity: allocation.quantity)
                    skus.insert(sku)
                }
            }
            done += 1
        }
        // A kit asks for its components.
        return !skus.isEmpty
            && fr.items.contains { item in
                guard let sku = item.sku else { return false }
                return (ledger.kits.components(of: sku)?.map(\.sku) ?? [sku]).contains(where: skus.contains)
            }
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
        decision.held(
            by: .giveWay,
            note: "older FRs of other sources in stock pool \(pool) come first; decided again next cycle "
                + "(\(decision.decision.rawValue) by rule \(decision.rule) with what is left)",
            trace: "units of \(skus.sorted().joined(separator: ", ")) set aside for older FRs of other sources "
                + "in stock pool \(pool), not decided yet")
    }
}
