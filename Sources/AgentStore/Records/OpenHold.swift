import Foundation
import FulfillmentCore

/// An FR waiting for a person: its newest decision is a hold and it has no live answer.
public struct OpenHold: Sendable {
    /// The newest (hold) decision.
    public var decision: DecisionRecord
    public var frNumber: String?
    /// The FR as last read from Flxpoint.
    public var frJSON: String
    /// When it was first held since its last withdrawn answer.
    public var heldSince: Date

    public var frId: Int { decision.frId }
    public var displayName: String { frNumber ?? "#\(decision.frId)" }

    /// A person keeps it held (`decide --keep-holding`), so the rules leave it alone at `now`.
    public func heldByPerson(at now: Date) -> Bool {
        ManualDecision.holdsFR(
            decision: decision.decision, rule: decision.rule, holdUntil: decision.holdUntil, at: now)
    }

    /// Every field, as the engines build it.
    public init(
        decision: DecisionRecord, frNumber: String? = nil, frJSON: String, heldSince: Date
    ) {
        self.decision = decision
        self.frNumber = frNumber
        self.frJSON = frJSON
        self.heldSince = heldSince
    }
}
