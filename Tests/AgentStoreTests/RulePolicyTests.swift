import AgentTesting
import Foundation
import FulfillmentCore
import GRDB
import Logging
import SourceAgent
import Testing

@testable import AgentStore
@testable import AgentStorePostgres
@testable import AgentStoreSQLite

/// How one process follows the fleet's rules in force (`RuleSource` over the store): the first
/// start after the upgrade, an older copy on another machine, an edit, a version that does not
/// load here.
@Suite("Rules in force: following the fleet's policy")
struct RulePolicyTests {
    static let logger = Logger(label: "rule-policy-test")
    static let clock: @Sendable () -> Date = { AgentDatabaseTests.now }
    static let rules = """
        version: 1
        warehouse: { timezone: America/Chicago, cutoff: "14:00", country: US }
        rules:
          - name: complete
            when: stock.covers_all
            then: acknowledge
        default:
          then: cancel
          reason: out_of_stock
        """
    static let edited = rules.replacingOccurrences(
        of: "rules:\n", with: "rules:\n  - name: recall\n    when: fr.carrier == \"UPS\"\n    then: hold\n")

    /// A machine's own copy of the rule file, in its own folder.
    static func machine(_ text: String, in directory: URL, _ name: String) throws -> String {
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("rules.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an existing database migrates; at the first start its rule file becomes version 1 in force")
    func upgrade() async throws {
        let directory = try Scratch.directory("rule-policy-upgrade")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("agent.sqlite").path
        do {
            // A database as the previous release left it: schema v12, the console's rule history.
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(queue, upTo: "v12: units taken, covering")
            try await queue.write { db in
                try db.execute(
                    sql: "INSERT INTO rule_version (path, sha256, text, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: ["/etc/source-agent/rules.yaml", "old", "old text", "ana", nil, Self.clock()])
            }
        }
        let store = try AgentDatabase.open(path: path)
        #expect(try await store.ruleVersions(name: "rules.yaml", limit: 5).map(\.actor) == ["ana"])
        #expect(try await store.ruleInForce(name: "rules.yaml") == nil)
        let file = try Self.machine(Self.rules, in: directory, "a")
        let source = try RuleSource(path: file)
        try await source.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        let inForce = try #require(try await store.ruleInForce(name: "rules.yaml"))
        #expect(inForce.text == Self.rules && inForce.actor.hasSuffix("(on disk)") && inForce.replaces == nil)
        #expect(await source.version == inForce)
        #expect(try await store.ruleLoads(seenSince: .distantPast).map(\.versionId) == [inForce.id])
    }

    @Test("an existing PostgreSQL database migrates: its rule history is named by file, nothing is in force yet")
    func upgradePostgres() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let url = try await cluster.makeDatabase("rules_upgrade")
        defer { cluster.dropDatabase(url: url) }
        // The schema as the previous release left it (migrations 1 to 6) and its rule history.
        let previous = PostgresMigrations.all.filter { $0.version <= 6 }
        var statements = [
            "CREATE TABLE schema_migration (version integer PRIMARY KEY, name text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now())"
        ]
        for migration in previous {
            statements += migration.statements
            statements.append("INSERT INTO schema_migration (version, name) VALUES (\(migration.version), 'old')")
        }
        statements.append(
            "INSERT INTO rule_version (path, sha256, text, actor, at) "
                + "VALUES ('/etc/source-agent/rules.yaml', 'old', 'old text', 'ana', now())")
        _ = try await cluster.psql(
            statements.joined(separator: ";\n") + ";", database: PostgresCluster.databaseName(url))
        let database = PostgresDatabase(
            settings: PostgresSettings(url: try PostgresURL(url), password: cluster.password, applicationName: "tests"))
        let store = try await PostgresStore.open(database)
        #expect(try await store.ruleVersions(name: "rules.yaml", limit: 5).map(\.actor) == ["ana"])
        #expect(try await store.ruleInForce(name: "rules.yaml") == nil)
        let directory = try Scratch.directory("rule-policy-upgrade-pg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try RuleSource(path: try Self.machine(Self.rules, in: directory, "a"))
        try await source.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        let inForce = try await store.ruleInForce(name: "rules.yaml")
        #expect(inForce?.text == Self.rules && inForce?.replaces == nil)
        await database.close()
    }

    @Test("an older copy joins without rolling back; an edit is applied for all; the same file twice is nothing")
    func olderCopyAndEdit() async throws {
        let directory = try Scratch.directory("rule-policy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try AgentDatabase.inMemory()
        let a = try RuleSource(path: try Self.machine(Self.edited, in: directory, "a"))
        try await a.join(store: store, identity: ProcessIdentity(holder: "a"), clock: Self.clock, logger: Self.logger)
        // Machine B restarts with the file as it was before the edit: the fleet keeps the edit.
        let bPath = try Self.machine(Self.rules, in: directory, "b")
        let b = try RuleSource(path: bPath)
        try await b.join(store: store, identity: ProcessIdentity(holder: "b"), clock: Self.clock, logger: Self.logger)
        #expect(await b.current.sha256 == SHA256.hex(Array(Self.edited.utf8)))
        #expect(try String(contentsOfFile: bPath, encoding: .utf8) == Self.edited)
        #expect(try String(contentsOfFile: bPath + ".previous", encoding: .utf8) == Self.rules)
        #expect(try await store.ruleVersions(name: "rules.yaml", limit: 5).count == 1)
        // SIGHUP with the file unchanged puts nothing in force.
        #expect(await b.reload(logger: Self.logger).isEmpty)
        #expect(try await store.ruleVersions(name: "rules.yaml", limit: 5).count == 1)
        // B's file edited back by a person, then SIGHUP: in force for the fleet; A follows on its next look.
        try Self.rules.write(toFile: bPath, atomically: true, encoding: .utf8)
        await b.reload(logger: Self.logger)
        let second = try #require(try await store.ruleInForce(name: "rules.yaml"))
        #expect(second.text == Self.rules && second.replaces == 1 && second.actor.hasSuffix("(SIGHUP)"))
        #expect(await a.refresh(logger: Self.logger) == 0)
        #expect(await a.version?.id == second.id)
        #expect(await a.current.sha256 == second.sha256)
    }

    @Test("restarted: a file edited while the agent was stopped is put in force; the copy it last ran is not")
    func restarts() async throws {
        let directory = try Scratch.directory("rule-policy-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try AgentDatabase.inMemory()
        let path = try Self.machine(Self.rules, in: directory, "a")
        let first = try RuleSource(path: path)
        try await first.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        // Stopped; a person edits the file; started again: the edit is the policy (one machine's
        // "edit, then restart" works as it always did).
        try Self.edited.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try RuleSource(path: path)
        try await second.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        let edit = try #require(try await store.ruleInForce(name: "rules.yaml"))
        #expect(edit.text == Self.edited && edit.actor.hasSuffix("(edited while stopped)") && edit.replaces == 1)
        // Stopped again; meanwhile another machine puts the first text back in force. This
        // machine's file still holds what it last ran: an old copy, so the fleet's version stays.
        let other = try RuleSource(path: try Self.machine(Self.rules, in: directory, "b"))
        try await other.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        _ = try await other.apply(Self.rules, actor: "bo", note: nil, guard: .anything, logger: Self.logger)
        let third = try RuleSource(path: path)
        try await third.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        #expect(try await store.ruleInForce(name: "rules.yaml")?.actor == "bo")
        #expect(await third.current.sha256 == SHA256.hex(Array(Self.rules.utf8)))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.rules)
    }

    @Test("a version in force that does not load here leaves the rules before it, counted and named")
    func versionThatDoesNotLoad() async throws {
        let directory = try Scratch.directory("rule-policy-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try AgentDatabase.inMemory()
        let path = try Self.machine(Self.rules, in: directory, "a")
        let source = try RuleSource(path: path)
        try await source.join(store: store, identity: ProcessIdentity(), clock: Self.clock, logger: Self.logger)
        let before = await source.current.sha256
        // As a newer build might write it: a fact this one does not know.
        let newer = Self.rules.replacingOccurrences(of: "stock.covers_all", with: "stock.covers_all_by_drone")
        _ = try await store.putRuleInForce(
            RuleVersion(
                path: path, sha256: SHA256.hex(Array(newer.utf8)), text: newer, actor: "x", note: nil, at: Self.clock()),
            guard: .anything)
        #expect(await source.refresh(logger: Self.logger) == 1)
        #expect(await source.refresh(logger: Self.logger) == 2)
        #expect(await source.current.sha256 == before)
        #expect(await source.problem?.contains("does not load here") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.rules, "the local file keeps what runs here")
        let fleet = try await FleetStatus.read(store: store, leases: nil, now: Self.clock().addingTimeInterval(3))
        #expect(fleet.rules.first?.loads.first?.problem?.contains("does not load here") == true)
    }
}
