/// What the sandbox saw, for tests and people checking that every FR was answered exactly once.
public struct SandboxStats: Sendable, Equatable, Codable {
    /// API requests received (the stats endpoint excluded).
    public var requests: Int
    /// Requests answered 429.
    public var rateLimited: Int
    /// Answers (acknowledge or adjust) Flxpoint accepted, per FR id.
    public var answers: [String: Int]
    /// Answers Flxpoint refused, per FR id.
    public var refused: [String: Int]
    /// Acknowledge calls per FR id.
    public var acknowledged: [String: Int]
    /// Adjust calls per FR id.
    public var adjusted: [String: Int]
    /// Accepted answers to an FR that already had one.
    public var duplicates: Int
    /// Answers that differ from an earlier answer to the same FR.
    public var contradictions: Int
    /// Shipments recorded.
    public var shipments: Int
    /// Units shipped per FR id.
    public var shippedUnits: [String: Int]
    /// Accepted `PUT /inventory/variants` requests.
    public var inventoryUpdates: Int
    /// Requests answered 5xx by fault injection.
    public var failuresInjected: Int
    /// Requests processed and then dropped by fault injection.
    public var dropped: Int
    /// The most requests one token made within any one-second window (arrivals: a loaded
    /// machine can bunch requests its limiter spaced).
    public var maxRequestsPerSecond: Int
    /// The busiest token's requests per second over its whole run (the requests after its
    /// first, over the time from its first to its last): what a budget shared by several
    /// processes keeps to, whatever a loaded machine does to single arrivals.
    public var sustainedRequestsPerSecond: Double = 0

    enum CodingKeys: String, CodingKey {
        case requests, answers, refused, acknowledged, adjusted, duplicates, contradictions, shipments, dropped
        case rateLimited = "rate_limited"
        case shippedUnits = "shipped_units"
        case inventoryUpdates = "inventory_updates"
        case failuresInjected = "failures_injected"
        case maxRequestsPerSecond = "max_requests_per_second"
        case sustainedRequestsPerSecond = "sustained_requests_per_second"
    }
}

/// One request the sandbox received, for `GET /_sandbox/requests`.
public struct SandboxRequest: Sendable, Equatable, Codable {
    public var at: String
    public var method: String
    public var path: String
    public var status: Int
    /// The request was processed and the connection dropped instead of answering.
    public var dropped: Bool
}
