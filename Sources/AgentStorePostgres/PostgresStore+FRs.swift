import AgentStore
import Foundation
import FulfillmentCore
import PostgresNIO

/// The FR table: FRs as read from Flxpoint, for this source and the others of its pool.
extension PostgresStore {
    public func recordSeen(_ page: [(fr: FulfillmentRequest, rawJSON: String)], at now: Date) async throws {
        guard !page.isEmpty else { return }
        // One statement for the page: its rows as one JSON parameter, read back as a record set.
        let rows = page.map {
            SeenRow(
                id: $0.fr.id, number: $0.fr.number?.storable, raw: $0.rawJSON.storable,
                created: $0.fr.createdAt?.timeIntervalSince1970, status: $0.fr.status?.storable)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let ids = page.map(\.fr.id)
        try await writeForSource { connection in
            try await connection.run(
                """
                INSERT INTO fr (source_name, id, number, raw_json, created_at, upstream_status, first_seen, last_seen,
                    ship_by_day)
                SELECT \(source), t.id, t.number, t.raw, to_timestamp(t.created), t.status, \(now), \(now), ship_by_day(t.raw)
                FROM json_to_recordset(\(json)::json) AS t(id bigint, number text, raw text, created double precision,
                                                         status text)
                ON CONFLICT (source_name, id) DO UPDATE SET number = excluded.number, raw_json = excluded.raw_json,
                    upstream_status = excluded.upstream_status, last_seen = excluded.last_seen,
                    ship_by_day = excluded.ship_by_day
                """, logger)
            try await connection.run(
                """
                UPDATE quarantine SET resolved = true
                WHERE source_name = \(source) AND fr_id = ANY(\(ids)::bigint[]) AND NOT resolved
                """, logger)
        }
    }

    public func storedFRTexts(ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { connection in
            var out: [Int: String] = [:]
            for row in try await connection.rows(
                "SELECT id, raw_json FROM fr WHERE source_name = \(source) AND id = ANY(\(ids)::bigint[])", logger)
            {
                out[try row["id"].decode(Int.self)] = try row["raw_json"].decode(String.self)
            }
            return out
        }
    }

    public func undecidedElsewhereInPool(seenSince since: Date, createdBy newest: Date?) async throws -> [WaitingFR] {
        try await database.read { connection in
            let sharing =
                try await connection.value(
                    Int.self, "SELECT count(*) FROM source WHERE pool = \(pool) AND name <> \(source)", logger) ?? 0
            guard sharing > 0 else { return [] }
            return try await connection.rows(
                """
                SELECT f.source_name, f.id, f.last_seen FROM fr f JOIN source s ON s.name = f.source_name
                WHERE s.pool = \(pool) AND f.source_name <> \(source) AND f.last_seen >= \(since)
                  AND (\(newest)::timestamptz IS NULL OR f.created_at <= \(newest))
                  AND coalesce(lower(f.upstream_status), '') NOT IN ('voided', 'canceled', 'cancelled')
                  AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.source_name = f.source_name AND d.fr_id = f.id)
                """, logger
            ).map {
                WaitingFR(
                    source: try $0["source_name"].decode(String.self), id: try $0["id"].decode(Int.self),
                    lastSeen: try $0["last_seen"].decode(Date.self))
            }
        }
    }

    public func storedFRTexts(_ waiting: [WaitingFR]) async throws -> [WaitingFR: String] {
        var out: [WaitingFR: String] = [:]
        for (source, keys) in Dictionary(grouping: waiting, by: \.source) {
            for batch in keys.chunked(500) {
                let wanted = Dictionary(batch.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let ids = batch.map(\.id)
                let rows = try await database.read { connection in
                    try await connection.rows(
                        "SELECT id, raw_json FROM fr WHERE source_name = \(source) AND id = ANY(\(ids)::bigint[])",
                        logger
                    ).map { (id: try $0["id"].decode(Int.self), text: try $0["raw_json"].decode(String.self)) }
                }
                for row in rows { if let key = wanted[row.id] { out[key] = row.text } }
            }
        }
        return out
    }

    public func frRecord(id: Int) async throws -> FRRecord? {
        try await database.read { connection in
            try await connection.fetch(
                FRRecord.self, "SELECT * FROM fr WHERE source_name = \(source) AND id = \(id)", logger
            ).first
        }
    }

    public func decidedFRIds() async throws -> [Int] {
        try await database.read { connection in
            try await connection.values(
                Int.self, "SELECT DISTINCT fr_id FROM decision WHERE source_name = \(source) ORDER BY fr_id", logger)
        }
    }

    public func quarantine(_ failure: FRDecodeFailure, at now: Date) async throws -> Bool {
        let sha = SHA256.hex(Array(failure.rawJSON.utf8))
        let raw = failure.rawJSON.storable
        let error = failure.description.storable
        return try await writeForSource { connection in
            let seen = try await connection.run(
                """
                UPDATE quarantine SET last_seen = \(now), times_seen = times_seen + 1 WHERE raw_sha256 = \(sha)
                RETURNING 1
                """, logger)
            if seen > 0 { return false }
            try await connection.run(
                """
                INSERT INTO quarantine (source_name, fr_id, raw_sha256, raw_json, error, first_seen, last_seen)
                VALUES (\(source), \(failure.frId), \(sha), \(raw), \(error), \(now), \(now))
                """, logger)
            return true
        }
    }

    public func quarantined() async throws -> [QuarantineRecord] {
        try await database.read { connection in
            try await connection.fetch(
                QuarantineRecord.self,
                "SELECT * FROM quarantine WHERE source_name = \(source) AND NOT resolved ORDER BY id", logger)
        }
    }
}

/// One FR of a page for `recordSeen`'s single statement; `created` in seconds since 1970.
private struct SeenRow: Encodable {
    var id: Int
    var number: String?
    var raw: String
    var created: Double?
    var status: String?
}
