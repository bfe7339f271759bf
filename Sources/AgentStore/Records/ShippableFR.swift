import Foundation
import FulfillmentCore

/// What the agent knows of an FR a tracking file names: enough to check a shipment against
/// what was acknowledged and is still unshipped.
public struct ShippableFR: Sendable {
    /// The FR's JSON as last read; decoding it is the caller's.
    public var frJSON: String
    /// The lines of the answering decision; empty when the FR was never answered.
    public var answeredLines: [LineAnswer]
    /// The answer's state in the outbox, if any.
    public var answerState: OutboxRecord.State?
    /// Units held (acknowledged, not yet shipped) and units already shipped, per SKU.
    public var held: [String: Int]
    public var shipped: [String: Int]
    /// The kits the answering decision promised lines as (their units are held as components).
    public var kits: [Kit]

    /// Every field, as the engines build it.
    public init(
        frJSON: String, answeredLines: [LineAnswer], answerState: OutboxRecord.State? = nil, held: [String: Int],
        shipped: [String: Int], kits: [Kit] = []
    ) {
        self.kits = kits
        self.frJSON = frJSON
        self.answeredLines = answeredLines
        self.answerState = answerState
        self.held = held
        self.shipped = shipped
    }
}
