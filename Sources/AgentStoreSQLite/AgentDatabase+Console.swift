import AgentStore
import Foundation
import GRDB

/// The console's audit log and tracking files (see `ConsoleStore`).
extension AgentDatabase {
    public func recordAudit(_ entry: AuditEntry) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO audit (at, actor, action, source_name, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.at, entry.actor, entry.action, entry.sourceName, entry.detail])
        }
    }

    public func auditLog(beforeId: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await writer.read { db in
            try AuditEntry.fetchAll(
                db, sql: "SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
                arguments: [beforeId ?? Int64.max, limit])
        }
    }

    public func recordTrackingFile(_ record: TrackingFileRecord) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tracking_file (name, origin, actor, at, sent, already_sent, rejected, waiting, problems)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.name, record.origin, record.actor, record.at, record.sent, record.alreadySent,
                    record.rejected, record.waiting, record.problems,
                ])
        }
    }

    public func trackingFiles(limit: Int) async throws -> [TrackingFileRecord] {
        try await writer.read { db in
            try TrackingFileRecord.fetchAll(
                db, sql: "SELECT * FROM tracking_file ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }
}

extension AgentDatabase {
    public func notShipped(answeredBefore: Date, limit: Int) async throws -> [NotShippedFR] {
        try await writer.read { [source] db in
            try NotShippedFR.fetchAll(db, sql: NotShippedFR.sql, arguments: [source, answeredBefore, limit])
        }
    }
}

extension AgentDatabase {
    public func liveMarks() async throws -> LiveMarks {
        try await writer.read { [source] db in
            try LiveMarks.fetchOne(db, sql: LiveMarks.sql, arguments: [source, source, source])
                ?? LiveMarks(decision: 0, cycle: 0, pending: 0)
        }
    }
}
