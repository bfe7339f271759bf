import Foundation
import FulfillmentCore

/// Where an FR stands when a person wants to decide it.
public struct FRStanding: Sendable {
    public var fr: FRRecord
    /// The last complete poll did not list it: it was voided, cancelled or answered elsewhere.
    public var leftOpenList = false
    /// The decision that answers it (not withdrawn), if any, with its answer's state.
    public var answer: (decision: DecisionRecord, state: String?)?
    /// When it was first held since its last withdrawn answer, if it is held.
    public var heldSince: Date?

    /// Every field, as the engines build it.
    public init(
        fr: FRRecord, answer: (decision: DecisionRecord, state: String?)? = nil, heldSince: Date? = nil
    ) {
        self.fr = fr
        self.answer = answer
        self.heldSince = heldSince
    }
}
