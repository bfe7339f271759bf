import AgentStore
import AgentStoreSQLite
import Foundation
import FulfillmentCore
import Testing

/// The fleet's policy in the store, on every engine: one version in force per rule file name,
/// put in force under a guard, the versions each process loaded, and inbox claims.
@Suite("Store contract: rules in force, loaded versions, inbox claims")
struct FleetStoreContractTests {
    static let now = AgentDatabaseTests.now

    static func version(_ text: String, by actor: String = "ana", path: String = "/etc/source-agent/rules.yaml")
        -> RuleVersion
    {
        RuleVersion(path: path, sha256: "sha-\(text)", text: text, actor: actor, note: "why \(text)", at: now)
    }

    @Test(
        "one version in force per name, replaced under its guard; the same text writes nothing",
        arguments: StoreEngine.available)
    func inForce(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            #expect(try await db.ruleInForce(name: "rules.yaml") == nil)
            #expect(try await db.ruleInForceId(name: "rules.yaml") == nil)
            guard case .applied(let first) = try await db.putRuleInForce(Self.version("one"), guard: .nothing) else {
                Issue.record("the first version was not put in force")
                return
            }
            #expect(first.name == "rules.yaml" && first.replaces == nil)
            // A second "first" loses to the one in force; nothing is written.
            #expect(try await db.putRuleInForce(Self.version("other"), guard: .nothing) == .conflict(inForce: first))
            #expect(try await db.putRuleInForce(Self.version("one", by: "bo"), guard: .anything) == .unchanged(first))
            guard
                case .applied(let second) = try await db.putRuleInForce(Self.version("two"), guard: .version(first.id!))
            else {
                Issue.record("the guarded apply was refused")
                return
            }
            #expect(second.replaces == first.id && second.id! > first.id!)
            // A page that still shows the first version cannot apply over the second.
            #expect(
                try await db.putRuleInForce(Self.version("three"), guard: .version(first.id!))
                    == .conflict(inForce: second))
            #expect(try await db.ruleInForce(name: "rules.yaml") == second)
            #expect(try await db.ruleInForceId(name: "rules.yaml") == second.id)
            // A file kept in another folder on another machine shares the name, so the policy.
            let elsewhere = Self.version("four", path: "/srv/agent/rules.yaml")
            guard case .applied(let fourth) = try await db.putRuleInForce(elsewhere, guard: .anything) else {
                Issue.record("the apply from another folder was refused")
                return
            }
            #expect(fourth.replaces == second.id)
            _ = try await db.putRuleInForce(Self.version("brand", path: "brand-x.yaml"), guard: .nothing)
            #expect(try await db.rulesInForce().map(\.text) == ["brand", "four"])
            #expect(try await db.ruleVersions(name: "rules.yaml", limit: 10).map(\.text) == ["four", "two", "one"])
            #expect(try await db.ruleVersion(id: second.id!)?.note == "why two")
            #expect(try await db.ruleVersion(id: fourth.id! + 100) == nil)
            #expect(try await db.ruleVersion(sha256: "sha-two")?.id == second.id)
        }
    }

    @Test(
        "each process's loaded version is kept and refreshed; only recent ones are listed",
        arguments: StoreEngine.available)
    func loads(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            let old = RuleLoad(
                holder: "p1", name: "rules.yaml", path: "/etc/rules.yaml", host: "a", pid: 1, versionId: 1, sha256: "x",
                loadedAt: Self.now, seenAt: Self.now.addingTimeInterval(-60))
            try await db.recordRuleLoad(old)
            var fresh = old
            fresh.holder = "p2"
            fresh.host = "b"
            fresh.seenAt = Self.now
            fresh.problem = "version #2 does not load here"
            try await db.recordRuleLoad(fresh)
            #expect(try await db.ruleLoads(seenSince: Self.now.addingTimeInterval(-30)) == [fresh])
            var renewed = old
            renewed.versionId = 2
            renewed.seenAt = Self.now
            try await db.recordRuleLoad(renewed)
            #expect(try await db.ruleLoads(seenSince: Self.now.addingTimeInterval(-30)) == [renewed, fresh])
            // What host "a" last ran from that file; another host or file has no record.
            #expect(try await db.lastRuleLoad(host: "a", path: "/etc/rules.yaml") == renewed)
            #expect(try await db.lastRuleLoad(host: "c", path: "/etc/rules.yaml") == nil)
            #expect(try await db.lastRuleLoad(host: "a", path: "/srv/rules.yaml") == nil)
        }
    }

    @Test(
        "an inbox file is claimed by one holder until its claim runs out or is done", arguments: StoreEngine.available)
    func claims(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            let until = Self.now.addingTimeInterval(15)
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "s", holder: "p1", until: until, at: Self.now)
                    == .claimed)
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "s", holder: "p2", until: until, at: Self.now)
                    == .taken(by: "p1"))
            // Renewed by its holder; the same name with other content is another file.
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "s", holder: "p1", until: until, at: Self.now)
                    == .claimed)
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "t", holder: "p2", until: until, at: Self.now)
                    == .claimed)
            // p1 died: once its claim ran out, p2 takes the file.
            let later = until.addingTimeInterval(1)
            #expect(
                try await db.claimInboxFile(
                    name: "a.csv", sha256: "s", holder: "p2", until: later.addingTimeInterval(15), at: later)
                    == .claimed)
            // Given up (shipments waiting): free at once for anyone.
            try await db.finishInboxClaim(name: "a.csv", sha256: "s", holder: "p2", done: false, at: later)
            #expect(
                try await db.claimInboxFile(
                    name: "a.csv", sha256: "s", holder: "p1", until: later.addingTimeInterval(15), at: later)
                    == .claimed)
            // Done: never claimed again; a finish by a holder that lost the claim changes nothing.
            try await db.finishInboxClaim(name: "a.csv", sha256: "s", holder: "p2", done: true, at: later)
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "s", holder: "p2", until: later, at: later)
                    == .taken(by: "p1"))
            try await db.finishInboxClaim(name: "a.csv", sha256: "s", holder: "p1", done: true, at: later)
            #expect(
                try await db.claimInboxFile(name: "a.csv", sha256: "s", holder: "p2", until: later, at: later) == .done)
        }
    }

    @Test(
        "an answer due in the year 9999 is reset to now and sent; a sound store is left alone",
        arguments: StoreEngine.available)
    func impossibleTimes(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await AgentDatabaseTests.stockShelf(db)
            try await StoreContractTests.decide(db, 1, .acknowledge, reserve: 1)
            #expect(try await db.repairImpossibleTimes(at: Self.now).isEmpty)
            let id = try #require(try await db.dueOutbox(at: Self.now).first?.record.id)
            let never = try Timestamp.parseInstant("9999-12-31T00:00:00Z")
            try await db.recordSendError(id, error: "503", retryAt: never, at: Self.now)
            #expect(try await db.dueOutbox(at: Self.now.addingTimeInterval(86_400 * 365)).isEmpty)
            let repaired = try await db.repairImpossibleTimes(at: Self.now)
            #expect(repaired.count == 1 && repaired[0].hasPrefix("table outbox: 1 "), "\(repaired)")
            #expect(try await db.dueOutbox(at: Self.now).map(\.record.id) == [id])
        }
    }
}
