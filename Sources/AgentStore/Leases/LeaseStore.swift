import Foundation

/// The leases in the shared store: which process answers which source.
public protocol LeaseStore: Sendable {
    /// Records that this process is alive (host and pid for people to read); returns how many
    /// processes were seen alive within `ttl`, itself included.
    func heartbeat(holder: String, host: String, pid: Int32, ttl: Duration) async throws -> Int
    /// Extends the leases of `leases` (source → epoch) still held with that epoch; returns the
    /// ones renewed. A lease another process took over is left out, and must be dropped.
    func renew(holder: String, leases: [String: Int64], ttl: Duration) async throws -> [String: Int64]
    /// Takes up to `limit` of `sources` whose lease is free or expired, each with a new epoch.
    func acquire(holder: String, sources: [String], limit: Int, ttl: Duration) async throws -> [LeaseGrant]
    /// Gives leases up at once (a graceful stop), so another process takes them without waiting out the TTL.
    func release(holder: String, sources: [String]) async throws
    /// Every lease, for `source-agent leases`, `/metrics` and `/healthz`.
    func leases() async throws -> [LeaseRecord]
}

/// A lease this process was just granted.
public struct LeaseGrant: Sendable, Equatable {
    public var source: String
    public var epoch: Int64
    /// The process that held it before, when it was taken over rather than free.
    public var previousHolder: String?

    public init(source: String, epoch: Int64, previousHolder: String?) {
        self.source = source
        self.epoch = epoch
        self.previousHolder = previousHolder
    }
}

/// One lease as the database holds it.
public struct LeaseRecord: Sendable, Codable, Equatable {
    public var source: String
    public var holder: String?
    public var host: String?
    public var pid: Int?
    public var epoch: Int64
    /// Seconds until it expires by the database's clock; negative once expired.
    public var expiresIn: Double?
    public var takeovers: Int

    public init(
        source: String, holder: String?, host: String?, pid: Int?, epoch: Int64, expiresIn: Double?, takeovers: Int
    ) {
        self.source = source
        self.holder = holder
        self.host = host
        self.pid = pid
        self.epoch = epoch
        self.expiresIn = expiresIn
        self.takeovers = takeovers
    }
}
