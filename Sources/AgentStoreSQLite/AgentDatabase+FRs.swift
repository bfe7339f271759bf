import AgentStore
import Foundation
import FulfillmentCore
import GRDB

/// The FR table: FRs as read from Flxpoint, for this source and the others of its pool.
extension AgentDatabase {
    /// Upserts a page of FRs as seen now, in one transaction; an FR that decodes now leaves quarantine.
    public func recordSeen(_ page: [(fr: FulfillmentRequest, rawJSON: String)], at now: Date) async throws {
        guard !page.isEmpty else { return }
        try await writer.write { [source] db in
            // Prepared once per page: compiling the two statements for every FR cost more than running them.
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO fr (source_name, id, number, raw_json, created_at, upstream_status, first_seen,
                        last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(source_name, id) DO UPDATE SET number = excluded.number,
                        raw_json = excluded.raw_json, upstream_status = excluded.upstream_status,
                        last_seen = excluded.last_seen
                    """)
            let resolve = try db.cachedStatement(
                sql: "UPDATE quarantine SET resolved = 1 WHERE source_name = ? AND fr_id = ? AND resolved = 0")
            for (fr, rawJSON) in page {
                try upsert.execute(arguments: [source, fr.id, fr.number, rawJSON, fr.createdAt, fr.status, now, now])
                try resolve.execute(arguments: [source, fr.id])
            }
        }
    }

    public func storedFRTexts(ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        return try await writer.read { [source] db in
            var out: [Int: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, raw_json FROM fr WHERE source_name = ? AND id IN (SELECT value FROM json_each(?))",
                arguments: [source, idList(ids)])
            for row in rows { out[row["id"]] = row["raw_json"] }
            return out
        }
    }

    /// FRs of the other sources drawing on this source's pool that were seen since `since`, are
    /// open upstream, have no decision yet and were created by `newest` (any time when nil): the
    /// ones another source's cycle has read and is about to decide, which may come before this
    /// source's FRs. Empty, without a scan, when no other source shares the pool.
    public func undecidedElsewhereInPool(seenSince since: Date, createdBy newest: Date?) async throws -> [WaitingFR] {
        try await writer.read { [source, pool] db in
            let sharing =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM source WHERE pool = ? AND name != ?", arguments: [pool, source]) ?? 0
            guard sharing > 0 else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT f.source_name, f.id, f.last_seen FROM fr f JOIN source s ON s.name = f.source_name
                    WHERE s.pool = ? AND f.source_name != ? AND f.last_seen >= ?
                      AND (? IS NULL OR f.created_at <= ?)
                      AND coalesce(lower(f.upstream_status), '') NOT IN ('voided', 'canceled', 'cancelled')
                      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.source_name = f.source_name AND d.fr_id = f.id)
                    """, arguments: [pool, source, since, newest, newest]
            ).map { WaitingFR(source: $0["source_name"], id: $0["id"], lastSeen: $0["last_seen"]) }
        }
    }

    public func storedFRTexts(_ waiting: [WaitingFR]) async throws -> [WaitingFR: String] {
        var out: [WaitingFR: String] = [:]
        for (source, keys) in Dictionary(grouping: waiting, by: \.source) {
            for batch in keys.chunked(500) {
                let wanted = Dictionary(batch.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let rows = try await writer.read { db in
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT id, raw_json FROM fr WHERE source_name = ? AND id IN (SELECT value FROM json_each(?))
                            """,
                        arguments: [source, idList(batch.map(\.id))]
                    ).map { (id: $0["id"] as Int, text: $0["raw_json"] as String) }
                }
                for row in rows { if let key = wanted[row.id] { out[key] = row.text } }
            }
        }
        return out
    }

    /// The stored FR JSON.
    public func frRecord(id: Int) async throws -> FRRecord? {
        try await writer.read { [source] db in
            try FRRecord.fetchOne(
                db, sql: "SELECT * FROM fr WHERE source_name = ? AND id = ?", arguments: [source, id])
        }
    }

    /// Every FR id with at least one decision.
    public func decidedFRIds() async throws -> [Int] {
        try await writer.read { [source] db in
            try Int.fetchAll(
                db, sql: "SELECT DISTINCT fr_id FROM decision WHERE source_name = ? ORDER BY fr_id", arguments: [source]
            )
        }
    }
}
