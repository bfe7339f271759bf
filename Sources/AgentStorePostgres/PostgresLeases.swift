import AgentStore
import Foundation
import FulfillmentCore
import Logging
import PostgresNIO

/// The leases in PostgreSQL: a row per source with its holder, epoch and expiry, set and
/// compared by the database's clock, so no two machines' clocks need agree. Each step is one
/// short transaction; nothing holds a session lock or listens, so a transaction pooler between
/// the agents and the database changes nothing.
public struct PostgresLeases: LeaseStore {
    let database: PostgresDatabase
    var logger: Logger { database.logger }

    public func heartbeat(holder: String, host: String, pid: Int32, ttl: Duration) async throws -> Int {
        let seconds = ttl.timeInterval
        return try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO agent_process (holder, host, pid, seen_at) VALUES (\(holder), \(host), \(Int(pid)), now())
                ON CONFLICT (holder) DO UPDATE SET seen_at = now()
                """, logger)
            // Processes gone for a while are forgotten; their leases stay until taken.
            try await connection.run(
                "DELETE FROM agent_process WHERE seen_at < now() - make_interval(secs => \(seconds * 20))", logger)
            return try await connection.value(
                Int.self,
                "SELECT count(*) FROM agent_process WHERE seen_at > now() - make_interval(secs => \(seconds))", logger)
                ?? 1
        }
    }

    public func renew(holder: String, leases: [String: Int64], ttl: Duration) async throws -> [String: Int64] {
        guard !leases.isEmpty else { return [:] }
        let pairs = leases.sorted { $0.key < $1.key }
        return try await database.write { connection in
            var kept: [String: Int64] = [:]
            for row in try await connection.rows(
                """
                UPDATE lease l SET expires_at = now() + make_interval(secs => \(ttl.timeInterval)), renewed_at = now()
                FROM unnest(\(pairs.map(\.key))::text[], \(pairs.map(\.value))::bigint[]) AS t(source, epoch)
                WHERE l.source_name = t.source AND l.holder = \(holder) AND l.epoch = t.epoch
                  AND l.expires_at > now()
                RETURNING l.source_name, l.epoch
                """, logger)
            {
                kept[try row["source_name"].decode(String.self)] = try row["epoch"].decode(Int64.self)
            }
            return kept
        }
    }

    public func acquire(holder: String, sources: [String], limit: Int, ttl: Duration) async throws -> [LeaseGrant] {
        var grants: [LeaseGrant] = []
        for source in sources.shuffled() where grants.count < limit {
            let grant: LeaseGrant? = try await database.write { connection in
                try await connection.run(
                    "INSERT INTO lease (source_name) VALUES (\(source)) ON CONFLICT (source_name) DO NOTHING", logger)
                guard
                    let current = try await connection.rows(
                        """
                        SELECT holder, coalesce(expires_at <= now(), true) AS free FROM lease
                        WHERE source_name = \(source) FOR UPDATE
                        """, logger
                    ).first, try current["free"].decode(Bool.self)
                else { return nil }
                let previous = try current["holder"].decode(String?.self)
                let takeover = previous != nil && previous != holder
                guard
                    let epoch = try await connection.value(
                        Int64.self,
                        """
                        UPDATE lease SET holder = \(holder), epoch = epoch + 1,
                            expires_at = now() + make_interval(secs => \(ttl.timeInterval)), acquired_at = now(),
                            renewed_at = now(), takeovers = takeovers + \(takeover ? 1 : 0)
                        WHERE source_name = \(source)
                        RETURNING epoch
                        """, logger)
                else { return nil }
                return LeaseGrant(source: source, epoch: epoch, previousHolder: takeover ? previous : nil)
            }
            if let grant { grants.append(grant) }
        }
        return grants
    }

    public func release(holder: String, sources: [String]) async throws {
        guard !sources.isEmpty else { return }
        try await database.write { connection in
            try await connection.run(
                """
                UPDATE lease SET holder = NULL, expires_at = now()
                WHERE holder = \(holder) AND source_name = ANY(\(sources)::text[])
                """, logger)
        }
    }

    public func leases() async throws -> [LeaseRecord] {
        try await database.read { connection in
            try await connection.rows(
                """
                SELECT l.source_name, l.holder, p.host, p.pid, l.epoch, l.takeovers,
                       extract(epoch FROM l.expires_at - now())::double precision AS expires_in
                FROM lease l LEFT JOIN agent_process p ON p.holder = l.holder
                ORDER BY l.source_name
                """, logger
            ).map {
                LeaseRecord(
                    source: try $0["source_name"].decode(String.self), holder: try $0["holder"].decode(String?.self),
                    host: try $0["host"].decode(String?.self), pid: try $0["pid"].decode(Int?.self),
                    epoch: try $0["epoch"].decode(Int64.self), expiresIn: try $0["expires_in"].decode(Double?.self),
                    takeovers: try $0["takeovers"].decode(Int.self))
            }
        }
    }
}
