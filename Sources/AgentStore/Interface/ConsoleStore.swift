import Foundation

/// What the web console keeps beside the agent's own tables: the audit log of what people
/// did and the tracking files imported. Process-wide, not per
/// source, and never fenced by a lease: a console on a standby machine records here too.
public protocol ConsoleStore: Sendable {
    /// Appends one entry to the audit log.
    func recordAudit(_ entry: AuditEntry) async throws
    /// The audit log, newest first, `limit` entries before `beforeId` (nil: the newest).
    func auditLog(beforeId: Int64?, limit: Int) async throws -> [AuditEntry]
    /// Records an imported tracking file and its outcome.
    func recordTrackingFile(_ record: TrackingFileRecord) async throws
    /// The tracking files imported, newest first.
    func trackingFiles(limit: Int) async throws -> [TrackingFileRecord]
    /// Marks that move whenever this source's pages would show something new: the newest
    /// decision, the newest cycle, the answers waiting. Cheap: the console asks twice a second
    /// per open page.
    func liveMarks() async throws -> LiveMarks
}
