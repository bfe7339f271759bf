import AgentStore
import AgentTesting
import Foundation
import Logging
import Testing

@testable import SourceAgent

/// The lease keeper in-process, on the lease store's in-memory twin with a clock the test
/// moves: who holds what after each round, as two processes would see it on PostgreSQL.
@Suite("Lease keeper")
struct LeaseKeeperTests {
    static let sources = ["a", "b", "c", "d"]
    static let ttl = Duration.seconds(30)

    static func keeper(_ store: InMemoryLeases, _ holder: String, clock: TestClock) -> LeaseKeeper {
        LeaseKeeper(
            store: store, book: LeaseBook(holder: holder, ttl: ttl, margin: .seconds(5)), sources: sources,
            renewEvery: .seconds(10), alerts: [:], logger: Logger(label: "test"), host: holder, pid: 1,
            clock: { clock.now })
    }

    /// Who holds each source in the store.
    static func holders(_ store: InMemoryLeases) async throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try await store.leases().compactMap { lease in lease.holder.map { (lease.source, $0) }
            })
    }

    @Test("a lone process takes every source; a second one gets its fair share as the surplus runs out")
    func fairShare() async throws {
        let clock = TestClock(Harness.now)
        let store = InMemoryLeases(clock: { clock.now })
        let first = Self.keeper(store, "p1", clock: clock)
        let second = Self.keeper(store, "p2", clock: clock)
        #expect(await first.round() == Set(Self.sources))
        // The second finds everything held and takes nothing before a lease runs out.
        #expect(await second.round().isEmpty)
        // Two live processes: the first lets one surplus lease run out each round, never two at once.
        #expect(await first.round().count == 3)
        // Rounds every 10 s: the first renews what it keeps; what it let go runs out (30 s) and
        // the second takes it, one surplus at a time.
        for _ in 0..<9 {
            clock.advance(by: 10)
            _ = await first.round()
            _ = await second.round()
        }
        let held = try await Self.holders(store)
        #expect(held.values.filter { $0 == "p1" }.count == 2 && held.values.filter { $0 == "p2" }.count == 2)
        // Each source changed hands with a new epoch, counted as a takeover.
        let leases = try await store.leases()
        #expect(leases.filter { $0.holder == "p2" }.allSatisfy { $0.epoch == 2 && $0.takeovers == 1 })
    }

    @Test("a holder that stops renewing loses every source once its leases expire, each with a new epoch")
    func takeover() async throws {
        let clock = TestClock(Harness.now)
        let store = InMemoryLeases(clock: { clock.now })
        let dead = Self.keeper(store, "dead", clock: clock)
        let standby = Self.keeper(store, "standby", clock: clock)
        _ = await dead.round()
        clock.advance(by: 29)
        #expect(await standby.round().isEmpty)  // not expired yet: nothing taken early
        clock.advance(by: 2)
        #expect(await standby.round() == Set(Self.sources))
        #expect(try await store.leases().allSatisfy { $0.holder == "standby" && $0.epoch == 2 })
        // The old holder comes back: its renewal is refused and it stops trusting every lease.
        #expect(await dead.round().isEmpty)
    }

    @Test("an unreachable store renews nothing and says so; a graceful stop releases at once for the next process")
    func unreachableAndRelease() async throws {
        let clock = TestClock(Harness.now)
        let store = InMemoryLeases(clock: { clock.now })
        let first = Self.keeper(store, "p1", clock: clock)
        _ = await first.round()
        #expect(await first.databaseReachable())
        await store.setUnreachable(true)
        _ = await first.round()
        #expect(await !first.databaseReachable())
        await store.setUnreachable(false)
        _ = await first.round()
        #expect(await first.databaseReachable())
        await first.releaseAll()
        #expect(try await Self.holders(store).isEmpty)
        // The next process takes its share (the first is still alive) without waiting out the TTL.
        #expect(await Self.keeper(store, "p2", clock: clock).round().count == 2)
    }
}
