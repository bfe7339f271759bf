import Foundation
import Synchronization

/// What this process knows of the leases it holds: per source, the epoch (the fencing number
/// the database gave it) and how long it may trust the lease by its own monotonic clock.
///
/// A lease expires by the database's clock `ttl` after its last renewal. This process counts
/// from the moment it *started* that renewal, by a clock no one can set, and stops trusting
/// `margin` before the TTL ends: when it stops, no other process can have taken over yet.
/// Every write for a source checks the epoch in its transaction (`PostgresStore`); every call
/// to Flxpoint is started only if it can end, time-out included, inside the trust window.
public final class LeaseBook: Sendable {
    /// The random identity of this process, new at every start.
    public let holder: String
    public let ttl: Duration
    public let margin: Duration
    private let clock = ContinuousClock()
    private let held = Mutex<[String: Held]>([:])
    /// Per source, by when its work is next expected to move on (see `beat`).
    private let due = Mutex<[String: ContinuousClock.Instant]>([:])

    struct Held {
        var epoch: Int64
        var trustedUntil: ContinuousClock.Instant
    }

    public init(holder: String = UUID().uuidString.lowercased(), ttl: Duration, margin: Duration) {
        self.holder = holder
        self.ttl = ttl
        self.margin = margin
    }

    /// The instant a renewal or acquisition starts: its trust window counts from here.
    public func now() -> ContinuousClock.Instant { clock.now }

    /// Records leases the database granted or renewed, for a round that started at `started`.
    public func trust(_ epochs: [String: Int64], since started: ContinuousClock.Instant) {
        let until = started.advanced(by: ttl - margin)
        held.withLock { held in
            for (source, epoch) in epochs { held[source] = Held(epoch: epoch, trustedUntil: until) }
        }
    }

    /// Forgets a lease: lost, released, or refused on renewal.
    public func drop(_ source: String) {
        _ = held.withLock { $0.removeValue(forKey: source) }
    }

    /// The epoch of a lease still trusted now, or nil: nothing may be done for the source.
    public func epoch(of source: String) -> Int64? {
        let now = clock.now
        return held.withLock { held in held[source].flatMap { $0.trustedUntil > now ? $0.epoch : nil } }
    }

    /// Whether work lasting up to `duration` from now ends inside the source's trust window.
    public func canStart(_ source: String, lasting duration: Duration) -> Bool {
        let end = clock.now.advanced(by: duration)
        return held.withLock { held in held[source].map { $0.trustedUntil > end } ?? false }
    }

    /// Every lease held, trusted or not, with its epoch: what the next renewal asks to keep.
    public func all() -> [String: Int64] {
        held.withLock { $0.mapValues(\.epoch) }
    }

    /// Records that the source's work moved on (its loop came round, it wrote, it started a
    /// call) and that it should again within `quiet` (a loop about to sleep between cycles says
    /// how long). The keeper lets go of a lease whose work stopped moving (`overdue`).
    public func beat(_ source: String, quiet: Duration = .zero) {
        let next = clock.now.advanced(by: quiet)
        due.withLock { $0[source] = next }
    }

    /// How long the source's work is overdue now (zero when it is not), or nil when it never moved.
    public func overdue(_ source: String) -> Duration? {
        let now = clock.now
        return due.withLock { due in due[source].map { max(.zero, $0.duration(to: now)) } }
    }

    /// The sources whose lease is trusted now.
    public func trusted() -> Set<String> {
        let now = clock.now
        return held.withLock { Set($0.filter { $0.value.trustedUntil > now }.keys) }
    }
}

/// Work for a source this process no longer holds the lease of (or no longer trusts): it
/// was stopped before it could change anything.
public struct LeaseLost: Error, CustomStringConvertible {
    public var source: String
    public init(source: String) { self.source = source }
    public var description: String {
        "the lease on source '\(source)' is not held by this process (another agent answers it now)"
    }
}
