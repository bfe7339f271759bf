import AgentStore
import Foundation
import PostgresNIO

/// The console's audit log and tracking files (see `ConsoleStore`). Plain
/// writes, not fenced by a lease: a console on a standby machine records here too.
extension PostgresStore {
    public func recordAudit(_ entry: AuditEntry) async throws {
        try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO audit (at, actor, action, source_name, detail)
                VALUES (\(entry.at), \(entry.actor.storable), \(entry.action), \(entry.sourceName),
                        \(entry.detail.storable))
                """, logger)
        }
    }

    public func auditLog(beforeId: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await database.read { connection in
            try await connection.fetch(
                AuditEntry.self,
                "SELECT * FROM audit WHERE id < \(beforeId ?? Int64.max) ORDER BY id DESC LIMIT \(limit)", logger)
        }
    }

    public func recordTrackingFile(_ record: TrackingFileRecord) async throws {
        try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO tracking_file (name, origin, actor, at, sent, already_sent, rejected, waiting, problems)
                VALUES (\(record.name.storable), \(record.origin), \(record.actor?.storable), \(record.at),
                        \(record.sent), \(record.alreadySent), \(record.rejected), \(record.waiting),
                        \(record.problems.storable))
                """, logger)
        }
    }

    public func trackingFiles(limit: Int) async throws -> [TrackingFileRecord] {
        try await database.read { connection in
            try await connection.fetch(
                TrackingFileRecord.self, "SELECT * FROM tracking_file ORDER BY id DESC LIMIT \(limit)", logger)
        }
    }
}

extension PostgresStore {
    public func notShipped(answeredBefore: Date, limit: Int) async throws -> [NotShippedFR] {
        let query = PostgresQuery(
            unsafeSQL: Self.numbered(NotShippedFR.sql), binds: try Self.binds(source, answeredBefore, limit))
        return try await database.read { connection in try await connection.fetch(NotShippedFR.self, query, logger) }
    }
}

extension PostgresStore {
    public func liveMarks() async throws -> LiveMarks {
        let query = PostgresQuery(
            unsafeSQL: Self.numbered(LiveMarks.sql), binds: try Self.binds(source, source, source))
        return try await database.read { connection in
            try await connection.fetch(LiveMarks.self, query, logger).first
                ?? LiveMarks(decision: 0, cycle: 0, pending: 0)
        }
    }
}
