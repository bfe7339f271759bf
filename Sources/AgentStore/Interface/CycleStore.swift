import Foundation

/// One row per poll cycle, and the summary `status` shows.
public protocol CycleStore: Sendable {
    /// Starts a cycle row; the caller fills in its counts and passes it to `finishCycle`.
    func beginCycle(at now: Date) async throws -> CycleRecord
    /// Writes a cycle's counts and end.
    func finishCycle(_ cycle: CycleRecord) async throws
    /// The figures `status` prints: last cycle, pending answers, open holds, quarantine. With
    /// `totals` false, the two that read every decision (`openHolds`, `decisionsByKind`) are
    /// left at zero and empty: the console's pages count holds their own way and show no
    /// totals by kind, and over a long log those two are most of the time.
    func status(totals: Bool) async throws -> AgentStatus
}

extension CycleStore {
    /// Every figure `status` prints.
    public func status() async throws -> AgentStatus { try await status(totals: true) }
}
