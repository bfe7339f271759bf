import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import AgentTesting
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import SourceAgent
import Testing

/// The PostgreSQL store's leases, fencing, pool promises and shared request budget, each
/// between two "processes": two connection pools with their own identities, as two machines
/// would be.
@Suite("Leases on PostgreSQL")
struct LeaseTests {
    typealias Fixture = AgentDatabaseTests

    /// Lets leases run out by the database's clock without waiting for it: their expiry is
    /// moved to the past, as time passing would. (Waiting a TTL out made these tests depend on
    /// how fast a loaded machine runs the database.)
    static func expire(_ database: PostgresDatabase, holder: String, except kept: Set<String> = []) async throws {
        let cluster = try #require(try await PostgresCluster.shared())
        let keep = kept.map { "'\($0)'" }.joined(separator: ", ")
        try await cluster.psql(
            "UPDATE lease SET expires_at = now() - interval '1 second' WHERE holder = '\(holder)'"
                + (kept.isEmpty ? "" : " AND source_name NOT IN (\(keep))"),
            database: database.settings.url.database)
    }

    /// Two processes' views of one fresh database.
    static func twoProcesses(_ body: (PostgresDatabase, PostgresDatabase) async throws -> Void) async throws {
        try await ScratchPostgres.withDatabase { first in
            _ = try await PostgresStore.open(first)
            let second = PostgresDatabase(settings: first.settings)
            do {
                try await body(first, second)
            } catch {
                await second.close()
                throw error
            }
            await second.close()
        }
    }

    @Test(
        "a lease is granted to one holder, renewed only by it, and taken over after it expires, with a new epoch")
    func grantRenewTakeOver() async throws {
        try await Self.twoProcesses { a, b in
            let (leasesA, leasesB) = (try await PostgresStore.open(a).leases, try await PostgresStore.open(b).leases)
            let ttl = Duration.seconds(60)
            let granted = try await leasesA.acquire(holder: "A", sources: ["s1"], limit: 5, ttl: ttl)
            #expect(granted == [LeaseGrant(source: "s1", epoch: 1, previousHolder: nil)])
            #expect(try await leasesB.acquire(holder: "B", sources: ["s1"], limit: 5, ttl: ttl).isEmpty)
            #expect(try await leasesB.renew(holder: "B", leases: ["s1": 1], ttl: ttl).isEmpty)
            #expect(try await leasesA.renew(holder: "A", leases: ["s1": 1], ttl: ttl) == ["s1": 1])
            try await Self.expire(a, holder: "A")
            let taken = try await leasesB.acquire(holder: "B", sources: ["s1"], limit: 5, ttl: ttl)
            #expect(taken == [LeaseGrant(source: "s1", epoch: 2, previousHolder: "A")])
            // The old holder's renewal finds nothing: it must drop the lease.
            #expect(try await leasesA.renew(holder: "A", leases: ["s1": 1], ttl: ttl).isEmpty)
            let rows = try await leasesA.leases()
            #expect(rows.map(\.holder) == ["B"] && rows.map(\.takeovers) == [1])
            // Released: free at once, and taking it is not a takeover.
            try await leasesB.release(holder: "B", sources: ["s1"])
            #expect(
                try await leasesA.acquire(holder: "A", sources: ["s1"], limit: 5, ttl: ttl).map(\.previousHolder) == [
                    nil
                ])
        }
    }

    @Test("a write by a holder that lost its lease changes nothing")
    func fencing() async throws {
        try await Self.twoProcesses { a, b in
            // A trusts its lease for a minute by its own clock, but the database lets it lapse:
            // only the epoch check in the write's transaction stops it.
            let bookA = LeaseBook(holder: "A", ttl: .seconds(60), margin: .seconds(1))
            let storeA = try await PostgresStore.open(a).fenced(by: bookA).scoped(to: "s1", pool: "p")
            let leasesB = try await PostgresStore.open(b).leases
            let grant = try await storeA.leases.acquire(holder: "A", sources: ["s1"], limit: 1, ttl: .seconds(60))
            bookA.trust(["s1": try #require(grant.first).epoch], since: bookA.now())
            _ = try await storeA.beginCycle(at: Fixture.now)
            try await Self.expire(a, holder: "A")
            #expect(try await leasesB.acquire(holder: "B", sources: ["s1"], limit: 1, ttl: .seconds(30)).count == 1)
            await #expect(throws: LeaseLost.self) { _ = try await storeA.beginCycle(at: Fixture.now) }
            await #expect(throws: LeaseLost.self) {
                try await StoreContractTests.decide(storeA, 7, .acknowledge)
            }
            let unfenced = try await PostgresStore.open(b).scoped(to: "s1")
            #expect(try await unfenced.status().lastCycle?.id == 1)
            #expect(try await unfenced.decidedFRIds().isEmpty)
            // Nor does a book that stopped trusting the lease write anything, whatever the database says.
            bookA.drop("s1")
            await #expect(throws: LeaseLost.self) { _ = try await storeA.beginCycle(at: Fixture.now) }
        }
    }

    @Test("two agents promising the same units of a pool: the second decision is not written")
    func poolPromises() async throws {
        try await Self.twoProcesses { a, b in
            let (bookA, bookB) = (
                LeaseBook(holder: "A", ttl: .seconds(60), margin: .seconds(1)),
                LeaseBook(holder: "B", ttl: .seconds(60), margin: .seconds(1))
            )
            let storeA = try await PostgresStore.open(a).fenced(by: bookA).scoped(to: "east", pool: "warehouse")
            let storeB = try await PostgresStore.open(b).fenced(by: bookB).scoped(to: "west", pool: "warehouse")
            for (store, book, source) in [(storeA, bookA, "east"), (storeB, bookB, "west")] {
                let grant = try await store.leases.acquire(
                    holder: book.holder, sources: [source], limit: 1, ttl: .seconds(60))
                book.trust([source: try #require(grant.first).epoch], since: book.now())
            }
            try await storeA.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 2)], source: "test", pool: nil, at: Fixture.now,
                asOf: nil, allowShrink: true)
            // Both decided from the same ledger (2 free) at the same moment; both want the 2 units.
            async let first: Void = StoreContractTests.decide(storeA, 1, .acknowledge, reserve: 2)
            async let second: Void = StoreContractTests.decide(storeB, 2, .acknowledge, reserve: 2)
            _ = try await (first, second)
            let written = try await storeA.decidedFRIds().count + storeB.decidedFRIds().count
            #expect(written == 1)
            #expect(try await storeA.loadLedger().free(sku: "A", location: "dallas") == 0)
            let held = try await storeA.reservations(state: .held) + storeB.reservations(state: .held)
            #expect(held.map(\.quantity) == [2])
        }
    }

    @Test("a standby looks again when another process's lease runs out, not a whole renewal later")
    func wakesAtExpiry() async throws {
        try await Self.twoProcesses { a, b in
            let logger = Logger(label: "test")
            let storeA = try await PostgresStore.open(a)
            let storeB = try await PostgresStore.open(b)
            // A holds the lease for 30 s; B renews once a minute. (Long enough that a loaded
            // machine's slow transactions cannot let it lapse before B looks.)
            let bookB = LeaseBook(holder: "B", ttl: .seconds(60), margin: .seconds(1))
            let keeperB = LeaseKeeper(
                store: storeB.leases, book: bookB, sources: ["s1"], renewEvery: .seconds(60), alerts: [:],
                logger: logger, host: "test", pid: 2)
            let clock = ContinuousClock()
            let taken = clock.now
            let holder = try await storeA.leases.acquire(holder: "A", sources: ["s1"], limit: 1, ttl: .seconds(30))
            #expect(holder.count == 1)
            #expect(await keeperB.round().isEmpty)
            // What is left of A's lease when B looked: 30 s less however long a loaded machine
            // took between the two (once 12 s under CI's parallel run), never the renewal interval.
            let left = .seconds(30) - (clock.now - taken)
            let pause = await keeperB.nextPause()
            #expect(pause >= left - .seconds(1) && pause <= .milliseconds(30_050), "\(pause), \(left) left")
            // Alone with nothing held by others: the renewal interval.
            try await storeA.leases.release(holder: "A", sources: ["s1"])
            #expect(await keeperB.round() == ["s1"])
            #expect(await keeperB.nextPause() == .seconds(60))
        }
    }

    @Test("a source whose work stopped moving is let go, and taken again only once it moves")
    func watchdog() async throws {
        try await Self.twoProcesses { a, b in
            let logger = Logger(label: "test")
            func keeper(_ database: PostgresDatabase, _ name: String) async throws -> (LeaseKeeper, LeaseBook) {
                let book = LeaseBook(holder: name, ttl: .seconds(60), margin: .seconds(1))
                let keeper = LeaseKeeper(
                    store: try await PostgresStore.open(database).leases, book: book, sources: ["s1", "s2"],
                    renewEvery: .seconds(60), alerts: [:], logger: logger, host: "test", pid: name == "A" ? 1 : 2,
                    watchdog: .milliseconds(300))
                return (keeper, book)
            }
            let (keeperA, bookA) = try await keeper(a, "A")
            #expect(await keeperA.round() == ["s1", "s2"])
            // s1's loop said it would sleep a while; s2's work moved last 0.6 s ago.
            bookA.beat("s1", quiet: .seconds(60))
            bookA.beat("s2")
            try await Task.sleep(for: .milliseconds(600))
            #expect(await keeperA.round() == ["s1"])
            // Not renewed: the lease runs out (here at once) and another process takes it.
            try await Self.expire(a, holder: "A", except: ["s1"])
            #expect(bookA.epoch(of: "s2") == nil)
            let (keeperB, _) = try await keeper(b, "B")
            #expect(await keeperB.round() == ["s2"])
            // B gone, s2 free again: A, alone now but its s2 work still stuck, does not take it back.
            try await PostgresStore.open(b).leases.release(holder: "B", sources: ["s2"])
            let cluster = try #require(try await PostgresCluster.shared())
            try await cluster.psql("DELETE FROM agent_process WHERE holder = 'B'", database: b.settings.url.database)
            #expect(await keeperA.round() == ["s1"])
            // Its work moves again (and means to sleep a while, so a loaded machine's slow round
            // cannot make it overdue again): taken.
            bookA.beat("s2", quiet: .seconds(60))
            #expect(await keeperA.round() == ["s1", "s2"])
        }
    }

    @Test(
        "the fair share: a second process gets half the sources, the first lets its surplus run out")
    func fairShare() async throws {
        try await Self.twoProcesses { a, b in
            let sources = ["s1", "s2", "s3", "s4"]
            let logger = Logger(label: "test")
            func keeper(_ database: PostgresDatabase, _ name: String) async throws -> (LeaseKeeper, LeaseBook) {
                let book = LeaseBook(holder: name, ttl: .seconds(60), margin: .seconds(1))
                let store = try await PostgresStore.open(database)
                return (
                    LeaseKeeper(
                        store: store.leases, book: book, sources: sources, renewEvery: .milliseconds(300),
                        alerts: [:], logger: logger, host: "test", pid: name == "A" ? 1 : 2),
                    book
                )
            }
            let (keeperA, _) = try await keeper(a, "A")
            let (keeperB, _) = try await keeper(b, "B")
            #expect(await keeperA.round().count == 4)  // alone: everything
            #expect(await keeperB.round().isEmpty)  // nothing free yet
            // Two live now: A lets one surplus lease run out a round; B takes it once it has.
            var heldA = await keeperA.round()
            #expect(heldA.count == 3)
            try await Self.expire(a, holder: "A", except: heldA)
            var heldB = await keeperB.round()
            #expect(heldB.count == 1)
            heldA = await keeperA.round()
            #expect(heldA.count == 2)
            try await Self.expire(a, holder: "A", except: heldA)
            heldB = await keeperB.round()
            #expect(heldB.count == 2, "\(heldA) \(heldB)")
            // Even: nobody lets go any more.
            #expect(await keeperA.round() == heldA)
            #expect(await keeperB.round() == heldB)
            #expect(heldA.isDisjoint(with: heldB))
        }
    }

    @Test("one request budget per token across processes: slots are spaced whichever process asks")
    func sharedBudget() async throws {
        try await Self.twoProcesses { a, b in
            let token = FlxpointToken("shared-token-1")
            let limiters = [
                RateLimiter(
                    requestsPerSecond: 10,
                    shared: PostgresRateSlots(store: try await PostgresStore.open(a), key: token.budgetKey)),
                RateLimiter(
                    requestsPerSecond: 10,
                    shared: PostgresRateSlots(store: try await PostgresStore.open(b), key: token.budgetKey)),
            ]
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for limiter in limiters { for _ in 0..<6 { group.addTask { try await limiter.acquire() } } }
                try await group.waitForAll()
            }
            // 12 slots 0.105 s apart: the last starts 11 intervals after the first.
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(1100), "\(elapsed)")
            // The budget is kept under a hash of the token, never the token.
            let cluster = try #require(try await PostgresCluster.shared())
            let keys = try await cluster.psql("SELECT token_key FROM rate_slot", database: a.settings.url.database)
            #expect(keys.trimmingCharacters(in: .whitespacesAndNewlines) == token.budgetKey)
            #expect(!keys.contains("shared-token-1"))
        }
    }
}
