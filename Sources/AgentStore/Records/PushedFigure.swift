import Foundation
import FulfillmentCore

/// A figure last sent to Flxpoint for a SKU.
public struct PushedFigure: Sendable, Equatable {
    public var quantity: Int
    public var cost: Double?

    public init(quantity: Int, cost: Double?) {
        self.quantity = quantity
        self.cost = cost
    }
}
