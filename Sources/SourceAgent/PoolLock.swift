import AgentStore
import FulfillmentCore
import Synchronization

/// Serialises the sources of one stock pool from the moment a cycle loads the pool's ledger
/// until its decisions (and their reservations) are committed: two sources deciding at once
/// against the same free units would both promise them. Waiters go in arrival order.
public final class PoolLock: Sendable {
    public let pool: String
    private let state = Mutex(State())
    /// Other sources' waiting FRs, decoded once for every cycle of the pool that gives way to
    /// them rather than once per cycle; an entry goes when its FR is no longer waiting.
    private let waiting = Mutex<[WaitingFR: FulfillmentRequest]>([:])

    /// Whether the lock is held, and who waits for it.
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    public init(pool: String) { self.pool = pool }

    public func withLock<T>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    /// The FRs `keys` names (what `source`'s cycle gives way to), from the cache or from
    /// `load` for those it lacks. Entries of other sources that are no longer waiting (decided,
    /// or read again since) leave the cache; `source`'s own, which its query leaves out, stay.
    /// Called with the lock held.
    func waitingFRs(
        _ keys: [WaitingFR], for source: String, load: ([WaitingFR]) async throws -> [WaitingFR: FulfillmentRequest]
    ) async throws -> [FulfillmentRequest] {
        let wanted = Set(keys)
        let cached = waiting.withLock { cache in
            cache = cache.filter { wanted.contains($0.key) || $0.key.source == source }
            return cache
        }
        let missing = keys.filter { cached[$0] == nil }
        let loaded = missing.isEmpty ? [:] : try await load(missing)
        waiting.withLock { $0.merge(loaded) { $1 } }
        return keys.compactMap { cached[$0] ?? loaded[$0] }
    }

    private func acquire() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.locked {
                    state.waiters.append(waiter)
                    return false
                }
                state.locked = true
                return true
            }
            if now { waiter.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// One `PoolLock` per pool name, made once by the composition root and shared by the sources
/// (and the person's decisions) of one process.
public final class PoolLocks: Sendable {
    private let locks = Mutex<[String: PoolLock]>([:])

    public init() {}

    public func lock(for pool: String) -> PoolLock {
        locks.withLock { locks in
            if let lock = locks[pool] { return lock }
            let lock = PoolLock(pool: pool)
            locks[pool] = lock
            return lock
        }
    }
}
