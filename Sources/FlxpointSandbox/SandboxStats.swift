/// What the sandbox saw, for tests and people checking that every FR was answered exactly once.
public struct SandboxStats: Sendable, Equatable, Codable {
    /// API requests received (the stats endpoint excluded).
    public var requests: Int
    /// Requests answered 429.
    public var rateLimited: Int
    /// Accepted answers (acknowledge or adjust) per FR id.
    public var answers: [String: Int]
    /// Answers sent to an FR that already had one.
    public var duplicates: Int
    /// Answers that differ from an earlier answer to the same FR.
    public var contradictions: Int
    /// Shipments recorded.
    public var shipments: Int
    /// Requests answered 5xx by fault injection.
    public var failuresInjected: Int
    /// Requests processed and then dropped by fault injection.
    public var dropped: Int
    /// The most requests one token made within any one-second window.
    public var maxRequestsPerSecond: Int

    enum CodingKeys: String, CodingKey {
        case requests, answers, duplicates, contradictions, shipments, dropped
        case rateLimited = "rate_limited"
        case failuresInjected = "failures_injected"
        case maxRequestsPerSecond = "max_requests_per_second"
    }
}
