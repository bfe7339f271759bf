/// How the sandbox behaves: its token, its limits and the faults it injects.
public struct SandboxConfiguration: Sendable {
    /// The Source token requests must carry.
    public var token: String
    /// Tokens that exist but are not Source tokens: answered 403.
    public var otherKindTokens: Set<String>
    /// Requests per second per token before 429; 0 = unlimited.
    public var rateLimit: Double
    /// Whether a 429 carries `Retry-After`.
    public var sendRetryAfter: Bool
    /// Share (0–1) of requests answered 500/502/503 without being processed.
    public var failRate: Double
    /// Share (0–1) of requests processed and then answered by dropping the connection.
    public var dropRate: Double
    /// Added to every answer.
    public var latency: Duration
    /// Largest page served; a larger `filterPageSize` is capped silently, as a real server may.
    public var maxPageSize: Int
    /// Seed for the fault dice, so a run can be repeated.
    public var randomSeed: UInt64

    public init(
        token: String, otherKindTokens: Set<String> = [], rateLimit: Double = 2, sendRetryAfter: Bool = true,
        failRate: Double = 0, dropRate: Double = 0, latency: Duration = .zero, maxPageSize: Int = 500,
        randomSeed: UInt64 = 1
    ) {
        self.token = token
        self.otherKindTokens = otherKindTokens
        self.rateLimit = rateLimit
        self.sendRetryAfter = sendRetryAfter
        self.failRate = failRate
        self.dropRate = dropRate
        self.latency = latency
        self.maxPageSize = maxPageSize
        self.randomSeed = randomSeed
    }
}

/// A small deterministic generator (SplitMix64), so seeded FRs and fault dice repeat exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
