import AgentStore
import Foundation
import PostgresNIO

/// The fleet's policy (see `FleetStore`). Plain writes, not fenced by a lease: every process,
/// standbys included, reads the version in force and records what it loaded.
extension PostgresStore {
    public func ruleInForce(name: String) async throws -> RuleVersion? {
        try await database.read { connection in try await inForce(connection, name: name) }
    }

    public func rulesInForce() async throws -> [RuleVersion] {
        try await database.read { connection in
            try await connection.fetch(
                RuleVersion.self,
                "SELECT v.* FROM rule_in_force f JOIN rule_version v ON v.id = f.version_id ORDER BY f.name", logger)
        }
    }

    public func ruleVersion(sha256: String) async throws -> RuleVersion? {
        try await database.read { connection in
            try await connection.fetch(
                RuleVersion.self, "SELECT * FROM rule_version WHERE sha256 = \(sha256) ORDER BY id LIMIT 1", logger
            ).first
        }
    }

    public func ruleInForceId(name: String) async throws -> Int64? {
        try await database.read { connection in
            try await connection.value(Int64.self, "SELECT version_id FROM rule_in_force WHERE name = \(name)", logger)
        }
    }

    public func putRuleInForce(_ version: RuleVersion, guard check: RuleInForceGuard) async throws -> RulePutOutcome {
        try await database.write { connection in
            // Two machines applying at once take turns; the second sees the first's version.
            try await connection.run(
                "SELECT pg_advisory_xact_lock(hashtextextended('rules:' || \(version.name), 0))", logger)
            let current = try await inForce(connection, name: version.name)
            if let settled = check.settled(putting: version.sha256, over: current) { return settled }
            var kept = version
            kept.replaces = current?.id
            kept.id = try await connection.value(
                Int64.self,
                """
                INSERT INTO rule_version (path, name, sha256, text, actor, note, at, replaces)
                VALUES (\(kept.path), \(kept.name), \(kept.sha256), \(kept.text.storable), \(kept.actor.storable),
                        \(kept.note?.storable), \(kept.at), \(kept.replaces))
                RETURNING id
                """, logger)
            try await connection.run(
                """
                INSERT INTO rule_in_force (name, version_id, since) VALUES (\(kept.name), \(kept.id), \(kept.at))
                ON CONFLICT (name) DO UPDATE SET version_id = excluded.version_id, since = excluded.since
                """, logger)
            return .applied(kept)
        }
    }

    public func ruleVersions(name: String, limit: Int) async throws -> [RuleVersion] {
        try await database.read { connection in
            try await connection.fetch(
                RuleVersion.self,
                "SELECT * FROM rule_version WHERE name = \(name) ORDER BY id DESC LIMIT \(limit)", logger)
        }
    }

    public func ruleVersion(id: Int64) async throws -> RuleVersion? {
        try await database.read { connection in
            try await connection.fetch(RuleVersion.self, "SELECT * FROM rule_version WHERE id = \(id)", logger).first
        }
    }

    public func recordRuleLoad(_ load: RuleLoad) async throws {
        try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO rule_load (holder, name, path, host, pid, version_id, sha256, loaded_at, seen_at, problem)
                VALUES (\(load.holder), \(load.name), \(load.path.storable), \(load.host.storable), \(load.pid), \(load.versionId),
                        \(load.sha256), \(load.loadedAt), \(load.seenAt), \(load.problem?.storable))
                ON CONFLICT (holder, name) DO UPDATE SET
                    version_id = excluded.version_id, sha256 = excluded.sha256, loaded_at = excluded.loaded_at,
                    seen_at = excluded.seen_at, problem = excluded.problem
                """, logger)
        }
    }

    public func lastRuleLoad(host: String, path: String) async throws -> RuleLoad? {
        try await database.read { connection in
            try await connection.fetch(
                RuleLoad.self,
                """
                SELECT * FROM rule_load WHERE host = \(host.storable) AND path = \(path.storable)
                ORDER BY seen_at DESC LIMIT 1
                """, logger
            ).first
        }
    }

    public func ruleLoads(seenSince: Date) async throws -> [RuleLoad] {
        try await database.read { connection in
            try await connection.fetch(
                RuleLoad.self,
                "SELECT * FROM rule_load WHERE seen_at >= \(seenSince) ORDER BY name, host, pid", logger)
        }
    }

    public func claimInboxFile(name: String, sha256: String, holder: String, until: Date, at now: Date) async throws
        -> InboxClaimOutcome
    {
        try await database.write { connection in
            // One statement decides: a new row, or a row whose claim is this holder's or ran out.
            let claimed = try await connection.value(
                String.self,
                """
                INSERT INTO inbox_claim (name, sha256, holder, claimed_at, expires_at)
                VALUES (\(name.storable), \(sha256), \(holder), \(now), \(until))
                ON CONFLICT (name, sha256) DO UPDATE SET
                    holder = excluded.holder, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                WHERE inbox_claim.done_at IS NULL
                  AND (inbox_claim.holder = excluded.holder OR inbox_claim.expires_at <= excluded.claimed_at)
                RETURNING holder
                """, logger)
            if claimed != nil { return .claimed }
            let claim = try await connection.fetch(
                InboxClaim.self,
                "SELECT * FROM inbox_claim WHERE name = \(name.storable) AND sha256 = \(sha256)", logger
            ).first
            guard let claim, claim.doneAt == nil else { return .done }
            return .taken(by: claim.holder)
        }
    }

    public func finishInboxClaim(name: String, sha256: String, holder: String, done: Bool, at now: Date) async throws {
        try await database.write { connection in
            try await connection.run(
                """
                UPDATE inbox_claim SET expires_at = \(now), done_at = CASE WHEN \(done) THEN \(now) ELSE done_at END
                WHERE name = \(name.storable) AND sha256 = \(sha256) AND holder = \(holder)
                """, logger)
        }
    }

    private func inForce(_ connection: PostgresConnection, name: String) async throws -> RuleVersion? {
        try await connection.fetch(
            RuleVersion.self,
            "SELECT v.* FROM rule_in_force f JOIN rule_version v ON v.id = f.version_id WHERE f.name = \(name)",
            logger
        ).first
    }
}
