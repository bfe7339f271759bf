import Foundation
import FulfillmentCore

/// Units still held for acknowledged FRs that have not shipped, for `status`.
public struct AwaitingShipment: Sendable, Equatable {
    public var units: Int
    public var frs: Int
    /// The FR whose answer was confirmed longest ago, and when.
    public var oldestFRId: Int?
    public var oldestFRNumber: String?
    public var oldestAnsweredAt: Date?

    /// Every field, as the engines build it.
    public init(
        units: Int, frs: Int, oldestFRId: Int? = nil, oldestFRNumber: String? = nil, oldestAnsweredAt: Date? = nil
    ) {
        self.units = units
        self.frs = frs
        self.oldestFRId = oldestFRId
        self.oldestFRNumber = oldestFRNumber
        self.oldestAnsweredAt = oldestAnsweredAt
    }
}
