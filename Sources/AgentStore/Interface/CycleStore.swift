import Foundation

/// One row per poll cycle, and the summary `status` shows.
public protocol CycleStore: Sendable {
    /// Starts a cycle row; the caller fills in its counts and passes it to `finishCycle`.
    func beginCycle(at now: Date) async throws -> CycleRecord
    /// Writes a cycle's counts and end.
    func finishCycle(_ cycle: CycleRecord) async throws
    /// The figures `status` prints: last cycle, pending answers, open holds, quarantine.
    func status() async throws -> AgentStatus
}
