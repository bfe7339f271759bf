import Foundation

/// The lease store's in-memory twin: the same rules as PostgreSQL's (a lease per source with
/// holder, epoch and expiry; taken only when free or expired, with a new epoch; renewed only by
/// its holder under the same epoch), kept in one actor and timed by the clock it is given, so
/// the lease keeper's tests run in-process and move time themselves.
public actor InMemoryLeases: LeaseStore {
    /// One source's lease.
    private struct Lease {
        var holder: String?
        var epoch: Int64 = 0
        var expiresAt: Date = .distantPast
        var takeovers = 0
    }

    private let clock: @Sendable () -> Date
    private var leasesBySource: [String: Lease] = [:]
    private var processes: [String: (host: String, pid: Int32, seenAt: Date)] = [:]
    /// While true, every call throws as a database out of reach would.
    private var unreachable = false

    public init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    /// Makes the store unreachable (or reachable again).
    public func setUnreachable(_ value: Bool) { unreachable = value }

    /// Why a call failed while the store is unreachable.
    public struct Unreachable: Error {}

    private func check() throws { if unreachable { throw Unreachable() } }

    public func heartbeat(holder: String, host: String, pid: Int32, ttl: Duration) async throws -> Int {
        try check()
        let now = clock()
        processes[holder] = (host, pid, now)
        return processes.values.filter { now.timeIntervalSince($0.seenAt) < ttl.timeInterval }.count
    }

    public func renew(holder: String, leases: [String: Int64], ttl: Duration) async throws -> [String: Int64] {
        try check()
        let now = clock()
        var kept: [String: Int64] = [:]
        for (source, epoch) in leases {
            guard var lease = leasesBySource[source], lease.holder == holder, lease.epoch == epoch,
                lease.expiresAt > now
            else { continue }
            lease.expiresAt = now.addingTimeInterval(ttl.timeInterval)
            leasesBySource[source] = lease
            kept[source] = epoch
        }
        return kept
    }

    public func acquire(holder: String, sources: [String], limit: Int, ttl: Duration) async throws -> [LeaseGrant] {
        try check()
        let now = clock()
        var grants: [LeaseGrant] = []
        for source in sources where grants.count < limit {
            var lease = leasesBySource[source] ?? Lease()
            guard lease.expiresAt <= now else { continue }
            let previous = lease.holder
            let takeover = previous != nil && previous != holder
            lease.holder = holder
            lease.epoch += 1
            lease.expiresAt = now.addingTimeInterval(ttl.timeInterval)
            if takeover { lease.takeovers += 1 }
            leasesBySource[source] = lease
            grants.append(LeaseGrant(source: source, epoch: lease.epoch, previousHolder: takeover ? previous : nil))
        }
        return grants
    }

    public func release(holder: String, sources: [String]) async throws {
        try check()
        let now = clock()
        for source in sources where leasesBySource[source]?.holder == holder {
            leasesBySource[source]?.holder = nil
            leasesBySource[source]?.expiresAt = now
        }
    }

    public func leases() async throws -> [LeaseRecord] {
        try check()
        let now = clock()
        return leasesBySource.sorted { $0.key < $1.key }.map { source, lease in
            let process = lease.holder.flatMap { processes[$0] }
            return LeaseRecord(
                source: source, holder: lease.holder, host: process?.host, pid: process.map { Int($0.pid) },
                epoch: lease.epoch, expiresIn: lease.expiresAt.timeIntervalSince(now), takeovers: lease.takeovers)
        }
    }
}
