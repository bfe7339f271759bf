import Foundation
import GRDB

extension AgentDatabase {
    /// Answers still to send, oldest first.
    public func pendingOutbox(limit: Int = 10_000) async throws -> [OutboxRecord] {
        try await writer.read { db in
            try OutboxRecord.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?", arguments: [limit])
        }
    }

    /// Answers still to send.
    public func pendingOutboxCount() async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = 'pending'") ?? 0
        }
    }

    /// Counts a send before it starts, so after a crash the next run knows the answer may
    /// already have reached Flxpoint and reads back before sending again.
    public func markAttempt(_ id: Int64, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Flxpoint confirmed the answer (or already had it).
    public func markDone(_ id: Int64, outcome: String, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'done', outcome = ?, last_error = NULL, updated_at = ? WHERE id = ?",
                arguments: [outcome, now, id])
        }
    }

    /// A send failed for now; it stays pending and is tried again next cycle.
    public func recordSendError(_ id: Int64, error: String, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ?", arguments: [error, now, id])
        }
    }

    /// Flxpoint refused the answer for good: mark it failed and release its reservations together.
    public func markFailed(_ id: Int64, reason: String, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [reason, now, id])
            if let frId = try Int.fetchOne(db, sql: "SELECT fr_id FROM outbox WHERE id = ?", arguments: [id]) {
                try Self.releaseHeld(db, frId: frId, reason: "answer refused", at: now)
            }
        }
    }

    /// Every outbox row, for checks and reports.
    public func outbox() async throws -> [OutboxRecord] {
        try await writer.read { db in try OutboxRecord.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id") }
    }
}
