import FulfillmentCore

/// The Flxpoint endpoints a Source uses: the port the agent talks to.
public protocol FlxpointSourceAPI: Sendable {
    /// Pages of FRs matching `query`, fetched one page at a time as the caller iterates.
    func fulfillmentRequestPages(_ query: FRQuery) -> FRPages
    /// One FR, e.g. to reconcile after a time-out.
    func fulfillmentRequest(id: Int) async throws -> FulfillmentRequest
    /// Acknowledges the whole FR. Already acknowledged counts as success.
    func acknowledge(frId: Int) async throws -> WriteOutcome
    /// Line-level answer: split or cancel.
    func adjust(frId: Int, _ request: AdjustRequest) async throws -> WriteOutcome
    /// Creates a shipment; safe to repeat because duplicate tracking numbers are refused.
    func createShipment(_ request: ShipmentCreateRequest) async throws -> WriteOutcome
    /// Shipments recorded for an FR.
    func shipments(frId: Int) async throws -> [Shipment]
    /// Variants for SKUs (the ids `updateInventory` needs).
    func inventoryVariants(skus: [String]) async throws -> [InventoryVariant]
    /// Sets quantities (and cost, with `modifyCost`), 50 per request.
    func updateInventory(_ updates: [InventoryUpdate], modifyCost: Bool) async throws
}

/// How a write ended.
public enum WriteOutcome: Sendable, Equatable {
    /// Flxpoint confirmed it.
    case confirmed
    /// Flxpoint already had it (e.g. an FR already acknowledged, a shipment already recorded).
    case alreadyDone
    /// The answer was lost, and reading back showed the write had taken effect.
    case reconciled
}

/// Filters for listing FRs.
public struct FRQuery: Sendable, Equatable {
    public var statuses: [String]
    public var isAcknowledged: Bool?
    public var sinceId: Int?
    public var pageSize: Int

    public init(
        statuses: [String] = ["Processing", "Processed"], isAcknowledged: Bool? = false, sinceId: Int? = nil,
        pageSize: Int = 100
    ) {
        self.statuses = statuses
        self.isAcknowledged = isAcknowledged
        self.sinceId = sinceId
        self.pageSize = pageSize
    }

    /// The polling filter docs/flxpoint-api.md recommends: unacknowledged FRs in Processing or Processed.
    public static let open = FRQuery()
}

/// One page of FRs; a malformed FR is a failure in place, the others still decode.
public typealias FRPage = [FRPageEntry]

/// One FR of a page: decoded or not, with its JSON as received.
public struct FRPageEntry: Sendable {
    public let result: Result<FulfillmentRequest, FRDecodeFailure>
    /// The FR's JSON (keys sorted), kept for the decision log and quarantine.
    public let rawJSON: String

    public init(result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String) {
        self.result = result
        self.rawJSON = rawJSON
    }

    /// The decoded FR, or the decoding failure.
    public func get() throws(FRDecodeFailure) -> FulfillmentRequest { try result.get() }
}
