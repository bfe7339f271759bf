import Foundation
import FulfillmentCore

/// An answer due to be sent.
public struct DueAnswer: Sendable {
    public var record: OutboxRecord
    /// The FR's `answerFingerprint` when it was decided; nil for answers from before v3.
    public var frFingerprint: String?

    /// Every field, as the engines build it.
    public init(
        record: OutboxRecord, frFingerprint: String? = nil
    ) {
        self.record = record
        self.frFingerprint = frFingerprint
    }
}
