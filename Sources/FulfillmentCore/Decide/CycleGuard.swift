import Foundation

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
        cancel.held(
            by: .guardHold,
            note: "\(note); was cancel (\(cancel.reason?.rawValue ?? "no reason")) by rule \(cancel.rule)",
            trace: "guard tripped: cancels above max_cancel_share are held for review")
    }
}
