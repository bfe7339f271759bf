import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Open holds, the longest held first. FRs voided or cancelled upstream are left out.
    public func openHolds(limit: Int) async throws -> [OpenHold] {
        try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT d.*, f.number AS fr_number, f.raw_json AS fr_raw, \(Self.holdSince) AS since "
                    + Self.openHoldsFrom + " ORDER BY since, d.fr_id LIMIT ?", arguments: [source, limit])
            return try rows.map { row in
                OpenHold(
                    decision: try DecisionRecord(row: row), frNumber: row["fr_number"], frJSON: row["fr_raw"],
                    heldSince: row["since"])
            }
        }
    }

    /// When each open hold was first held: what `status`, `/metrics` and alerts count by age.
    public func openHoldsSince() async throws -> [Date] {
        try await writer.read { [source] db in
            try Date.fetchAll(db, sql: "SELECT \(Self.holdSince) " + Self.openHoldsFrom, arguments: [source])
        }
    }

    /// The newest decision of each FR that is a hold, with no live answer, the FR not closed upstream.
    /// FRs that left the open list at the last complete poll are not waiting for anyone.
    /// Its one parameter is the source.
    static let openHoldsFrom = SharedSQL.openHoldsFrom(source: "?")
    static let holdSince = SharedSQL.holdSince

    /// An FR by id or number (an id is tried first), with its live answer and how long it has
    /// been held.
    public func standing(of key: String) async throws -> FRStanding? {
        try await writer.read { [source] db in
            var fr: FRRecord?
            if let id = Int(key) {
                fr = try FRRecord.fetchOne(
                    db, sql: "SELECT * FROM fr WHERE source_name = ? AND id = ?", arguments: [source, id])
            }
            if fr == nil {
                fr = try FRRecord.fetchOne(
                    db, sql: "SELECT * FROM fr WHERE source_name = ? AND number = ? ORDER BY id",
                    arguments: [source, key])
            }
            guard let fr else { return nil }
            var standing = FRStanding(fr: fr)
            if let listed = try Date.fetchOne(
                db, sql: "SELECT max(listed_at) FROM cycle WHERE source_name = ?", arguments: [source])
            {
                standing.leftOpenList = fr.lastSeen < listed
            }
            standing.answer = try Self.liveAnswer(db, source: source, frId: fr.id)
            standing.heldSince = try Date.fetchOne(
                db, sql: "SELECT \(Self.holdSince) FROM decision d WHERE d.source_name = ? AND d.fr_id = ? LIMIT 1",
                arguments: [source, fr.id])
            return standing
        }
    }

    /// How many decisions each person took, for `status` and `/metrics`.
    /// (`+source_name`: the few rows a person decided are found through `decision_by`; left
    /// to itself SQLite reads every decision of the source through `decision_fr`.)
    public func manualDecisionsByPerson() async throws -> [String: Int] {
        try await writer.read { [source] db in
            var out: [String: Int] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT decided_by, count(*) AS n FROM decision WHERE +source_name = ? AND decided_by IS NOT NULL
                    GROUP BY decided_by
                    """, arguments: [source])
            for row in rows { out[row["decided_by"]] = row["n"] }
            return out
        }
    }
}
