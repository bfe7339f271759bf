import AgentStore
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Starts a cycle row; the caller fills in its counts and passes it to `finishCycle`.
    public func beginCycle(at now: Date) async throws -> CycleRecord {
        try await writer.write { [source] db in
            var cycle = CycleRecord(
                id: nil, sourceName: source, startedAt: now, finishedAt: nil, fetched: 0, decided: 0, sent: 0,
                failed: 0, quarantined: 0,
                guardTripped: false, error: nil)
            try cycle.insert(db)
            return cycle
        }
    }

    public func finishCycle(_ cycle: CycleRecord) async throws {
        try await writer.write { db in try cycle.update(db) }
    }

    /// Keeps a malformed FR once per distinct text. Returns true when this text is new, so
    /// the caller reports it once rather than every cycle.
    public func quarantine(_ failure: FRDecodeFailure, at now: Date) async throws -> Bool {
        let sha = SHA256.hex(Array(failure.rawJSON.utf8))
        return try await writer.write { [source] db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM quarantine WHERE raw_sha256 = ?", arguments: [sha]) != nil {
                try db.execute(
                    sql: "UPDATE quarantine SET last_seen = ?, times_seen = times_seen + 1 WHERE raw_sha256 = ?",
                    arguments: [now, sha])
                return false
            }
            var record = QuarantineRecord(
                id: nil, sourceName: source, frId: failure.frId, rawSHA256: sha, rawJSON: failure.rawJSON,
                error: failure.description,
                firstSeen: now, lastSeen: now, timesSeen: 1, resolved: false)
            try record.insert(db)
            return true
        }
    }

    public func quarantined() async throws -> [QuarantineRecord] {
        try await writer.read { [source] db in
            try QuarantineRecord.fetchAll(
                db, sql: "SELECT * FROM quarantine WHERE source_name = ? AND resolved = 0 ORDER BY id",
                arguments: [source])
        }
    }

    public func status(totals: Bool) async throws -> AgentStatus {
        try await writer.read { [source, pool] db in
            let lastCycle = try CycleRecord.fetchOne(
                db, sql: "SELECT * FROM cycle WHERE source_name = ? ORDER BY id DESC LIMIT 1", arguments: [source])
            let holds =
                totals
                ? try Int.fetchOne(db, sql: "SELECT count(*) " + Self.openHoldsFrom, arguments: [source]) ?? 0 : 0
            let outbox = try Row.fetchAll(
                db, sql: "SELECT state, count(*) AS n FROM outbox WHERE source_name = ? GROUP BY state",
                arguments: [source])
            var byState: [String: Int] = [:]
            for row in outbox { byState[row["state"]] = row["n"] }
            let kinds =
                !totals
                ? []
                : try Row.fetchAll(
                    db,
                    sql: """
                        SELECT decision, count(*) AS n FROM decision d
                        WHERE d.source_name = ?
                          AND d.id = (SELECT max(id) FROM decision WHERE source_name = d.source_name AND fr_id = d.fr_id)
                        GROUP BY decision
                        """, arguments: [source])
            var decisionsByKind: [String: Int] = [:]
            for row in kinds { decisionsByKind[row["decision"]] = row["n"] }
            return AgentStatus(
                lastCycle: lastCycle, openHolds: holds, pendingAnswers: byState["pending"] ?? 0,
                failedAnswers: byState["failed"] ?? 0, withdrawnAnswers: byState["withdrawn"] ?? 0,
                quarantined: try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM quarantine WHERE source_name = ? AND resolved = 0",
                    arguments: [source]) ?? 0,
                answered: byState["done"] ?? 0,
                lastStockImport: try Date.fetchOne(
                    db, sql: "SELECT max(imported_at) FROM stock_import WHERE pool = ?", arguments: [pool]),
                decisionsByKind: decisionsByKind)
        }
    }
}
