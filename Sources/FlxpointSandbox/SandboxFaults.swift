import Foundation
import FulfillmentCore
import Synchronization

/// The fault knobs that `PUT /_sandbox/faults` changes while the sandbox runs.
public struct SandboxFaults: Sendable, Equatable, Codable {
    /// Which requests `force_status` and the fault rates apply to.
    public enum Scope: String, Sendable, Codable { case all, reads, writes }

    public var failRate: Double
    public var dropRate: Double
    /// Share (0–1) of writes applied and then answered 503: the ambiguous failure.
    public var failAfterApplyRate: Double
    public var rateLimit: Double
    public var latencyMs: Int
    /// Reads show a write only this long after it was applied.
    public var readLagMs: Int
    /// Every request in scope is answered with this status (after the token and rate checks).
    public var forceStatus: Int?
    public var scope: Scope

    public init(
        failRate: Double = 0, dropRate: Double = 0, failAfterApplyRate: Double = 0, rateLimit: Double = 2,
        latencyMs: Int = 0, readLagMs: Int = 0, forceStatus: Int? = nil, scope: Scope = .all
    ) {
        self.failRate = failRate
        self.dropRate = dropRate
        self.failAfterApplyRate = failAfterApplyRate
        self.rateLimit = rateLimit
        self.latencyMs = latencyMs
        self.readLagMs = readLagMs
        self.forceStatus = forceStatus
        self.scope = scope
    }

    init(_ configuration: SandboxConfiguration) {
        self.init(
            failRate: configuration.failRate, dropRate: configuration.dropRate, rateLimit: configuration.rateLimit,
            latencyMs: Int(configuration.latency.timeInterval * 1000))
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case failRate = "fail_rate"
        case dropRate = "drop_rate"
        case failAfterApplyRate = "fail_after_apply_rate"
        case rateLimit = "rate_limit"
        case latencyMs = "latency_ms"
        case readLagMs = "read_lag_ms"
        case forceStatus = "force_status"
        case scope
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(failRate, forKey: .failRate)
        try c.encode(dropRate, forKey: .dropRate)
        try c.encode(failAfterApplyRate, forKey: .failAfterApplyRate)
        try c.encode(rateLimit, forKey: .rateLimit)
        try c.encode(latencyMs, forKey: .latencyMs)
        try c.encode(readLagMs, forKey: .readLagMs)
        try c.encode(forceStatus, forKey: .forceStatus)  // null when off, so a reader sees the knob exists
        try c.encode(scope, forKey: .scope)
    }

    /// Whether a request with `method` is in scope.
    func covers(method: String) -> Bool {
        switch scope {
        case .all: return true
        case .reads: return method == "GET"
        case .writes: return method != "GET"
        }
    }

    /// Applies a partial update: only the keys present change; `force_status: null` clears it.
    func updated(with body: Data) throws -> SandboxFaults {
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: body) else {
            throw FaultError("expected a JSON object of fault knobs")
        }
        var out = self
        for (key, value) in fields {
            guard let knob = CodingKeys(rawValue: key) else {
                let known = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw FaultError("unknown fault knob '\(key)'; known: \(known)")
            }
            switch (knob, value) {
            case (.failRate, .number(let n)) where (0...1).contains(n): out.failRate = n
            case (.dropRate, .number(let n)) where (0...1).contains(n): out.dropRate = n
            case (.failAfterApplyRate, .number(let n)) where (0...1).contains(n): out.failAfterApplyRate = n
            case (.rateLimit, .number(let n)) where n >= 0: out.rateLimit = n
            case (.latencyMs, .number(let n)) where n >= 0 && n.rounded() == n: out.latencyMs = Int(n)
            case (.readLagMs, .number(let n)) where n >= 0 && n.rounded() == n: out.readLagMs = Int(n)
            case (.forceStatus, .null): out.forceStatus = nil
            case (.forceStatus, .number(let n)) where (100...599).contains(n) && n.rounded() == n:
                out.forceStatus = Int(n)
            case (.scope, .string(let s)) where Scope(rawValue: s) != nil: out.scope = Scope(rawValue: s)!
            default: throw FaultError("bad value for '\(key)': \(value)")
            }
        }
        return out
    }

    /// A fault setting that is out of range, naming it.
    struct FaultError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The knobs shared by concurrent requests.
final class FaultKnobs: Sendable {
    private let value: Mutex<SandboxFaults>

    init(_ faults: SandboxFaults) { value = Mutex(faults) }

    var current: SandboxFaults { value.withLock { $0 } }

    func update(with body: Data) throws -> SandboxFaults {
        try value.withLock { faults in
            faults = try faults.updated(with: body)
            return faults
        }
    }
}
