import Foundation

/// What changed the rules' own decision for an FR, kept with the decision so `replay`,
/// reports and alerts read it from a field instead of from note text.
public enum DecisionOverride: String, Sendable, Codable, CaseIterable {
    /// The agent was paused: the answer was kept as a hold.
    case paused
    /// The cycle would have cancelled too large a share of its FRs: the cancel was held.
    case guardHold = "guard"
    /// Older FRs of another source in the same stock pool came first: held for one cycle.
    case giveWay = "give_way"
    /// A hold waited past its rule's `escalate:` and became the rule's `then` decision.
    case escalated
}

extension FRDecision {
    /// This decision kept as a hold because of `override`: no answer, no lines, no
    /// reservations. `note` says what it would have done; `trace` is added to the trace. The
    /// one way the cycle turns a decision into a hold (pause, guard and give-way all use it).
    public func held(by override: DecisionOverride, note: String, trace: String) -> FRDecision {
        var held = self
        held.note = note
        held.decision = .hold
        held.reason = override == .guardHold ? .guardHold : nil
        held.remainder = nil
        held.lines = []
        held.reservations = []
        held.trace.notes.append(trace)
        held.override = override
        return held
    }
}
