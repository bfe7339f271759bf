import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// The hold queue: FRs waiting for a person, and what people decided.
extension PostgresStore {
    public func openHolds(limit: Int) async throws -> [OpenHold] {
        try await database.read { connection in
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT d.*, f.number AS fr_number, f.raw_json AS fr_raw, \(SharedSQL.holdSince) AS since "
                        + Self.openHoldsFrom + " ORDER BY since, d.fr_id LIMIT $2",
                    binds: try Self.binds(source, limit)), logger
            ).map { row in
                OpenHold(
                    decision: try PostgresRowDecoder.decode(DecisionRecord.self, from: row),
                    frNumber: try row["fr_number"].decode(String?.self), frJSON: try row["fr_raw"].decode(String.self),
                    heldSince: try row["since"].decode(Date.self))
            }
        }
    }

    public func openHoldsSince() async throws -> [Date] {
        try await database.read { connection in
            try await connection.values(
                Date.self,
                PostgresQuery(
                    unsafeSQL: "SELECT \(SharedSQL.holdSince) " + Self.openHoldsFrom, binds: try Self.binds(source)),
                logger)
        }
    }

    /// The open holds, as the SQLite engine finds them; `$1` is the source.
    static let openHoldsFrom = SharedSQL.openHoldsFrom(source: "$1")

    public func standing(of key: String) async throws -> FRStanding? {
        try await database.read { connection in
            var fr: FRRecord?
            if let id = Int(key) {
                fr = try await connection.fetch(
                    FRRecord.self, "SELECT * FROM fr WHERE source_name = \(source) AND id = \(id)", logger
                ).first
            }
            if fr == nil {
                fr = try await connection.fetch(
                    FRRecord.self, "SELECT * FROM fr WHERE source_name = \(source) AND number = \(key) ORDER BY id",
                    logger
                ).first
            }
            guard let fr else { return nil }
            var standing = FRStanding(fr: fr)
            if let listed = try await connection.value(
                Date.self, "SELECT max(listed_at) FROM cycle WHERE source_name = \(source)", logger)
            {
                standing.leftOpenList = fr.lastSeen < listed
            }
            standing.answer = try await liveAnswer(frId: fr.id, connection)
            standing.heldSince = try await connection.value(
                Date.self,
                PostgresQuery(
                    unsafeSQL:
                        "SELECT \(SharedSQL.holdSince) FROM decision d WHERE d.source_name = $1 AND d.fr_id = $2 LIMIT 1",
                    binds: try Self.binds(source, fr.id)), logger)
            return standing
        }
    }

    public func manualDecisionsByPerson() async throws -> [String: Int] {
        try await database.read { connection in
            var out: [String: Int] = [:]
            for row in try await connection.rows(
                """
                SELECT decided_by, count(*) AS n FROM decision WHERE source_name = \(source) AND decided_by IS NOT NULL
                GROUP BY decided_by
                """, logger)
            {
                out[try row["decided_by"].decode(String.self)] = try row["n"].decode(Int.self)
            }
            return out
        }
    }
}
