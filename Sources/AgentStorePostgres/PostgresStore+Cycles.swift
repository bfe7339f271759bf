import AgentStore
import Foundation
import PostgresNIO

/// One row per poll cycle, and the summary `status` shows.
extension PostgresStore {
    public func beginCycle(at now: Date) async throws -> CycleRecord {
        try await writeForSource { connection in
            guard
                let cycle = try await connection.fetch(
                    CycleRecord.self,
                    "INSERT INTO cycle (source_name, started_at) VALUES (\(source), \(now)) RETURNING *", logger
                ).first
            else { throw PostgresStatementError(description: "a new cycle row was not returned", sqlState: nil) }
            return cycle
        }
    }

    public func finishCycle(_ cycle: CycleRecord) async throws {
        guard let id = cycle.id else { return }
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE cycle SET finished_at = \(cycle.finishedAt), fetched = \(cycle.fetched),
                    decided = \(cycle.decided), sent = \(cycle.sent), failed = \(cycle.failed),
                    quarantined = \(cycle.quarantined), guard_tripped = \(cycle.guardTripped),
                    error = \(cycle.error?.storable), withdrawn = \(cycle.withdrawn),
                    oldest_hold_since = \(cycle.oldestHoldSince), holds_past_ship_by = \(cycle.holdsPastShipBy),
                    listed_at = \(cycle.listedAt)
                WHERE id = \(id)
                """, logger)
        }
    }

    public func status(totals: Bool) async throws -> AgentStatus {
        try await database.read { connection in
            let lastCycle = try await connection.fetch(
                CycleRecord.self, "SELECT * FROM cycle WHERE source_name = \(source) ORDER BY id DESC LIMIT 1", logger
            ).first
            let holds =
                !totals
                ? 0
                : try await connection.value(
                    Int.self,
                    PostgresQuery(unsafeSQL: "SELECT count(*) " + Self.openHoldsFrom, binds: try Self.binds(source)),
                    logger) ?? 0
            var byState: [String: Int] = [:]
            for row in try await connection.rows(
                "SELECT state, count(*) AS n FROM outbox WHERE source_name = \(source) GROUP BY state", logger)
            {
                byState[try row["state"].decode(String.self)] = try row["n"].decode(Int.self)
            }
            var decisionsByKind: [String: Int] = [:]
            for row in !totals
                ? []
                : try await connection.rows(
                    """
                    SELECT decision, count(*) AS n FROM decision d
                    WHERE d.source_name = \(source)
                      AND d.id = (SELECT max(id) FROM decision WHERE source_name = d.source_name AND fr_id = d.fr_id)
                    GROUP BY decision
                    """, logger)
            {
                decisionsByKind[try row["decision"].decode(String.self)] = try row["n"].decode(Int.self)
            }
            let quarantined =
                try await connection.value(
                    Int.self, "SELECT count(*) FROM quarantine WHERE source_name = \(source) AND NOT resolved", logger)
                ?? 0
            let lastImport = try await connection.value(
                Date.self, "SELECT max(imported_at) FROM stock_import WHERE pool = \(pool)", logger)
            return AgentStatus(
                lastCycle: lastCycle, openHolds: holds, pendingAnswers: byState["pending"] ?? 0,
                failedAnswers: byState["failed"] ?? 0, withdrawnAnswers: byState["withdrawn"] ?? 0,
                quarantined: quarantined, answered: byState["done"] ?? 0, lastStockImport: lastImport,
                decisionsByKind: decisionsByKind)
        }
    }
}
