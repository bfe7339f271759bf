import AgentStore
import FulfillmentCore

/// The rule file's safety guard: a cycle that would cancel too large a share of its FRs
/// holds those cancels for a person instead, because a bad stock file or rule change
/// looks exactly like that.
enum CycleGuard {
    /// Returns true when the guard tripped (and turned the cancels into holds).
    static func apply(_ guards: Guards, to decided: inout [(FRDecision, [String: [String: StockFigure]])]) -> Bool {
        guard let share = guards.maxCancelShare, decided.count >= guards.minCycleSize else { return false }
        let cancels = decided.filter { $0.0.decision == .cancel }.count
        guard Double(cancels) > share * Double(decided.count) else { return false }
        for index in decided.indices where decided[index].0.decision == .cancel {
            var held = decided[index].0
            held.note =
                "guard: \(cancels) of \(decided.count) FRs in this cycle would be cancelled; "
                + "was cancel (\(held.reason?.rawValue ?? "no reason")) by rule \(held.rule)"
            held.decision = .hold
            held.reason = .guardHold
            held.remainder = nil
            held.lines = []
            held.trace.notes.append("guard tripped: cancels above max_cancel_share are held for review")
            decided[index].0 = held
        }
        return true
    }
}
