import AgentStore
import Foundation
import GRDB

/// The fleet's policy on SQLite (see `FleetStore`): one machine, the same mechanism.
extension AgentDatabase {
    public func ruleInForce(name: String) async throws -> RuleVersion? {
        try await writer.read { db in try Self.inForce(db, name: name) }
    }

    public func rulesInForce() async throws -> [RuleVersion] {
        try await writer.read { db in
            try RuleVersion.fetchAll(
                db, sql: "SELECT v.* FROM rule_in_force f JOIN rule_version v ON v.id = f.version_id ORDER BY f.name")
        }
    }

    public func ruleVersion(sha256: String) async throws -> RuleVersion? {
        try await writer.read { db in
            try RuleVersion.fetchOne(
                db, sql: "SELECT * FROM rule_version WHERE sha256 = ? ORDER BY id LIMIT 1", arguments: [sha256])
        }
    }

    public func ruleInForceId(name: String) async throws -> Int64? {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT version_id FROM rule_in_force WHERE name = ?", arguments: [name])
        }
    }

    public func putRuleInForce(_ version: RuleVersion, guard check: RuleInForceGuard) async throws -> RulePutOutcome {
        try await writer.write { db in
            let current = try Self.inForce(db, name: version.name)
            if let settled = check.settled(putting: version.sha256, over: current) { return settled }
            var kept = version
            kept.replaces = current?.id
            try db.execute(
                sql: """
                    INSERT INTO rule_version (path, name, sha256, text, actor, note, at, replaces)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    kept.path, kept.name, kept.sha256, kept.text, kept.actor, kept.note, kept.at, kept.replaces,
                ])
            kept.id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO rule_in_force (name, version_id, since) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET version_id = excluded.version_id, since = excluded.since
                    """,
                arguments: [kept.name, kept.id, kept.at])
            return .applied(kept)
        }
    }

    public func ruleVersions(name: String, limit: Int) async throws -> [RuleVersion] {
        try await writer.read { db in
            try RuleVersion.fetchAll(
                db, sql: "SELECT * FROM rule_version WHERE name = ? ORDER BY id DESC LIMIT ?", arguments: [name, limit])
        }
    }

    public func ruleVersion(id: Int64) async throws -> RuleVersion? {
        try await writer.read { db in
            try RuleVersion.fetchOne(db, sql: "SELECT * FROM rule_version WHERE id = ?", arguments: [id])
        }
    }

    public func recordRuleLoad(_ load: RuleLoad) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO rule_load (holder, name, path, host, pid, version_id, sha256, loaded_at, seen_at, problem)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(holder, name) DO UPDATE SET
                        version_id = excluded.version_id, sha256 = excluded.sha256, loaded_at = excluded.loaded_at,
                        seen_at = excluded.seen_at, problem = excluded.problem
                    """,
                arguments: [
                    load.holder, load.name, load.path, load.host, load.pid, load.versionId, load.sha256, load.loadedAt,
                    load.seenAt, load.problem,
                ])
        }
    }

    public func lastRuleLoad(host: String, path: String) async throws -> RuleLoad? {
        try await writer.read { db in
            try RuleLoad.fetchOne(
                db, sql: "SELECT * FROM rule_load WHERE host = ? AND path = ? ORDER BY seen_at DESC LIMIT 1",
                arguments: [host, path])
        }
    }

    public func ruleLoads(seenSince: Date) async throws -> [RuleLoad] {
        try await writer.read { db in
            try RuleLoad.fetchAll(
                db, sql: "SELECT * FROM rule_load WHERE seen_at >= ? ORDER BY name, host, pid", arguments: [seenSince])
        }
    }

    public func claimInboxFile(name: String, sha256: String, holder: String, until: Date, at now: Date) async throws
        -> InboxClaimOutcome
    {
        try await writer.write { db in
            if let claim = try InboxClaim.fetchOne(
                db, sql: "SELECT * FROM inbox_claim WHERE name = ? AND sha256 = ?", arguments: [name, sha256])
            {
                if claim.doneAt != nil { return .done }
                if claim.holder != holder && claim.expiresAt > now { return .taken(by: claim.holder) }
            }
            try db.execute(
                sql: """
                    INSERT INTO inbox_claim (name, sha256, holder, claimed_at, expires_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name, sha256) DO UPDATE SET
                        holder = excluded.holder, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                    """,
                arguments: [name, sha256, holder, now, until])
            return .claimed
        }
    }

    public func finishInboxClaim(name: String, sha256: String, holder: String, done: Bool, at now: Date) async throws {
        try await writer.write { db in
            // Given up, the claim expires now: any process may take the file on its next pass.
            try db.execute(
                sql: """
                    UPDATE inbox_claim SET expires_at = ?, done_at = CASE WHEN ? THEN ? ELSE done_at END
                    WHERE name = ? AND sha256 = ? AND holder = ?
                    """,
                arguments: [now, done, now, name, sha256, holder])
        }
    }

    static func inForce(_ db: Database, name: String) throws -> RuleVersion? {
        try RuleVersion.fetchOne(
            db,
            sql: """
                SELECT v.* FROM rule_in_force f JOIN rule_version v ON v.id = f.version_id WHERE f.name = ?
                """, arguments: [name])
    }
}
