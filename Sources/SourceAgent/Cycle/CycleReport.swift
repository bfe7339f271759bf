import Foundation

/// What a cycle did, step by step: read, quarantine, withdraw, decide, send, read back and
/// the work after it.
public struct CycleReport: Sendable, Equatable {
    public var cycleId: Int64 = 0
    public var fetched = 0
    public var decided = 0
    public var quarantined = 0
    /// Promises from stock on its way that no longer land in time (alerted once each).
    public var inboundSlipped = 0
    /// Unsent answers withdrawn because their FR changed or closed upstream.
    public var withdrawn = 0
    public var guardTripped = false
    public var paused = false
    public var send = OutboxSender.Report()
    public var readBack = ReadBackSweep.Report()
    /// Decisions by kind.
    public var decisions: [String: Int] = [:]
    /// Pending answers whose FR left the open list: read back before they are sent.
    public var verify: Set<Int> = []
    public var holds = HoldSummary()
    /// When the whole open list was read; nil when the listing was cut short.
    public var listedAt: Date?
    /// Where the cycle's time went, in seconds: reading FRs, deciding and recording, sending.
    public var phases = Phases()
    /// The tracking inbox and inventory push that followed the cycle.
    public var after = AfterCycle.Report()

    /// Seconds spent in each phase of a cycle.
    public struct Phases: Sendable, Equatable {
        public var read = 0.0
        public var decide = 0.0
        public var send = 0.0
    }

    /// The holds still open after a cycle.
    public struct HoldSummary: Sendable, Equatable {
        public var open = 0
        public var oldestSince: Date?
        public var pastShipBy = 0

        mutating func record(since: Date, meetsShipBy: Bool) {
            open += 1
            oldestSince = min(oldestSince ?? since, since)
            if !meetsShipBy { pastShipBy += 1 }
        }
    }

    /// Flxpoint refused the token: nothing was sent and every answer is kept.
    public struct AuthFailure: Error, CustomStringConvertible {
        public var description: String
    }
}
