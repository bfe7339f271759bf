// Leases: on the shared PostgreSQL store, which process answers which source.

import AgentStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Keeps this process's leases: every `renewEvery` it says it is alive, renews what it holds,
/// lets go of what another process took, and takes free or expired leases up to its fair
/// share (the sources divided by the live processes, rounded up), so a second machine gets
/// work rather than standing idle beside one that holds everything. A source whose holder
/// died is taken over once its lease expires (the keeper looks again just after it is due),
/// with a new epoch; the alert says so.
///
/// When the database cannot be reached nothing is renewed, the trust window runs out and
/// every source stops at once: the agent never sends what it cannot record. A source whose
/// work stopped moving in this process (its loop stuck on a call that never returns, say)
/// for longer than `watchdog` is let go, so another process answers it rather than this one
/// renewing a lease it does nothing with. On a graceful
/// stop (after the cycles have stopped: the service group stops services in reverse order,
/// and this one is first) the leases are released, so another process takes them at once.
public struct LeaseKeeper: Service {
    let store: any LeaseStore
    let book: LeaseBook
    let sources: [String]
    let renewEvery: Duration
    let alerts: [String: Alerts]
    let logger: Logger
    let host: String
    let pid: Int32
    let clock: @Sendable () -> Date
    /// How long a source's work may be overdue (`LeaseBook.overdue`) before its lease is let go.
    let watchdog: Duration?
    private let state = KeeperState()

    public init(
        store: any LeaseStore, book: LeaseBook, sources: [String], renewEvery: Duration, alerts: [String: Alerts],
        logger: Logger, host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(),
        watchdog: Duration? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.book = book
        self.sources = sources
        self.renewEvery = renewEvery
        self.alerts = alerts
        self.logger = logger
        self.host = host
        self.pid = pid
        self.watchdog = watchdog
        self.clock = clock
    }

    public func run() async throws {
        // Cancellation ends it too (the group cancels every service when one ends): a loop
        // that waited for a graceful shutdown alone would spin, each sleep throwing at once.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await round()
            let pause = await nextPause()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        await releaseAll()
    }

    /// How long until the next round: the renewal interval, or less when another process's
    /// lease runs out sooner. A lease whose holder died is then taken over as soon as it has
    /// expired, not up to a renewal interval later: what a source waits after its holder
    /// dies is the lease's TTL, and little more.
    public func nextPause() async -> Duration {
        guard let expiry = await state.othersExpireIn else { return renewEvery }
        return min(renewEvery, max(Self.afterExpiry, expiry + Self.afterExpiry))
    }

    /// Looked at this long after a lease's expiry, so the database's clock has passed it.
    static let afterExpiry: Duration = .milliseconds(50)

    /// Renews every `renewEvery` until the task is cancelled: for `run --once`, whose cycle may
    /// outlast a lease.
    public func keepRenewing() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: renewEvery) } catch { return }
            await round()
        }
    }

    /// Stops trusting every lease and gives them up, so another process takes them at once:
    /// for a stop, once no call is in flight.
    public func releaseAll() async {
        let held = Array(book.all().keys)
        for source in held { book.drop(source) }
        do {
            try await store.release(holder: book.holder, sources: held)
            if !held.isEmpty { logger.notice("leases released", metadata: ["lease.sources": "\(held.sorted())"]) }
        } catch {
            logger.warning("could not release the leases; they expire by themselves", metadata: ["error": "\(error)"])
        }
    }

    /// One round: heartbeat, renew, drop the lost, take up to the fair share. Returns the
    /// sources held after it.
    @discardableResult
    public func round() async -> Set<String> {
        let started = book.now()
        do {
            let live = try await store.heartbeat(holder: book.holder, host: host, pid: pid, ttl: book.ttl)
            let stuck = await letGoOfStuck()
            let asked = book.all()
            let kept = try await store.renew(holder: book.holder, leases: asked, ttl: book.ttl)
            for (source, epoch) in asked where kept[source] != epoch {
                book.drop(source)
                logger.warning(
                    "lease lost: another process answers this source now",
                    metadata: ["source": "\(source)", "lease.epoch": "\(epoch)"])
            }
            book.trust(kept, since: started)
            let fair = (sources.count + max(1, live) - 1) / max(1, live)
            if kept.count < fair {
                let acquiring = book.now()
                let free = sources.filter { kept[$0] == nil && !stuck.contains($0) }
                let grants = try await store.acquire(
                    holder: book.holder, sources: free, limit: fair - kept.count, ttl: book.ttl)
                book.trust(Dictionary(uniqueKeysWithValues: grants.map { ($0.source, $0.epoch) }), since: acquiring)
                for grant in grants { await granted(grant) }
            } else if kept.count > fair, let surplus = kept.keys.sorted().last {
                // One surplus lease a round is let run out (not released: a call started under
                // it may still be in flight, and ends inside the lease), so another live process takes it.
                book.drop(surplus)
                logger.notice(
                    "handing a source over to another process",
                    metadata: ["source": "\(surplus)", "lease.held": "\(kept.count)", "lease.fair_share": "\(fair)"])
            }
            // When the next lease held by another process runs out (by the database's clock).
            let others = try await store.leases().filter {
                $0.holder != nil && $0.holder != book.holder && sources.contains($0.source)
            }
            await state.othersExpire(in: others.compactMap(\.expiresIn).filter { $0 > 0 }.min().map(Duration.seconds))
            await reachable()
        } catch {
            await state.othersExpire(in: nil)
            await unreachable(error)
        }
        let held = book.trusted()
        for source in sources {
            Gauge(label: "source_agent_lease_held", dimensions: [("source", source)]).record(
                held.contains(source) ? 1 : 0)
        }
        return held
    }

    /// Stops trusting (and renewing) the lease of every source whose work is overdue by more
    /// than the watchdog allows, so it runs out and another process takes the source; returns
    /// every stuck source, held or not, which this process does not take either until its
    /// work moves again.
    private func letGoOfStuck() async -> Set<String> {
        guard let watchdog else { return [] }
        var stuck: Set<String> = []
        for source in sources {
            guard let overdue = book.overdue(source), overdue > watchdog else {
                if await state.moved(source) {
                    logger.notice("the source's work moves again", metadata: ["source": "\(source)"])
                }
                continue
            }
            stuck.insert(source)
            let held = book.all()[source] != nil
            book.drop(source)
            guard await state.stuck(source) else { continue }
            Counter(label: "source_agent_source_stuck_total", dimensions: [("source", source)]).increment()
            logger.critical(
                held
                    ? "the source's work has not moved: its lease is let run out so another process answers it"
                    : "the source's work has not moved: this process does not take its lease",
                metadata: ["source": "\(source)", "watchdog.overdue_s": "\(Int(overdue.timeInterval))"])
        }
        return stuck
    }

    /// Whether the last round reached the database.
    public func databaseReachable() async -> Bool { await state.isReachable }

    private func granted(_ grant: LeaseGrant) async {
        guard let previous = grant.previousHolder else {
            logger.notice("lease taken", metadata: ["source": "\(grant.source)", "lease.epoch": "\(grant.epoch)"])
            return
        }
        Counter(label: "source_agent_lease_takeovers_total", dimensions: [("source", grant.source)]).increment()
        logger.warning(
            "lease taken over from a process that stopped renewing it; unsent answers it counted are read back first",
            metadata: ["source": "\(grant.source)", "lease.epoch": "\(grant.epoch)", "lease.previous": "\(previous)"])
        await alerts[grant.source]?.raise(
            .leaseTakenOver,
            message: "took over source \(grant.source) (epoch \(grant.epoch)) from a process that stopped renewing "
                + "its lease")
    }

    private func unreachable(_ error: any Error) async {
        let first = await state.markUnreachable(at: clock())
        Gauge(label: "source_agent_database_reachable").record(0)
        if first {
            logger.critical(
                "the database cannot be reached: nothing is answered until it can", metadata: ["error": "\(error)"])
        }
    }

    private func reachable() async {
        Gauge(label: "source_agent_database_reachable").record(1)
        guard let since = await state.markReachable() else { return }
        let seconds = Int(clock().timeIntervalSince(since))
        logger.notice("the database is reachable again", metadata: ["db.unreachable_s": "\(seconds)"])
        // Queued now that it can be: while the database was away, nothing could record it.
        if let source = book.trusted().sorted().first {
            await alerts[source]?.raise(
                .databaseUnreachable,
                message: "the database could not be reached for \(seconds)s; nothing was answered meanwhile")
        }
    }
}

/// Whether the database was unreachable, and since when; when another process's lease
/// runs out next; which sources' work the watchdog found stuck.
actor KeeperState {
    private var unreachableSince: Date?
    private var stuckSources: Set<String> = []
    private(set) var othersExpireIn: Duration?

    func othersExpire(in duration: Duration?) { othersExpireIn = duration }

    var isReachable: Bool { unreachableSince == nil }

    /// Returns true when the source was not already known to be stuck.
    func stuck(_ source: String) -> Bool { stuckSources.insert(source).inserted }

    /// Returns true when the source had been stuck.
    func moved(_ source: String) -> Bool { stuckSources.remove(source) != nil }

    /// Returns true when this is the first failure of a run of them.
    func markUnreachable(at now: Date) -> Bool {
        if unreachableSince != nil { return false }
        unreachableSince = now
        return true
    }

    /// Returns since when it was unreachable, if it was.
    func markReachable() -> Date? {
        defer { unreachableSince = nil }
        return unreachableSince
    }
}
