import Foundation

/// Runtime settings of the agent, already resolved from flags, environment and config file.
public struct AgentSettings: Sendable {
    public var rulesPath: String
    /// Time between poll cycles.
    public var interval: Duration
    /// A file whose presence pauses answering; by default `PAUSE` beside the database.
    public var pauseFile: String
    /// Stock older than this makes each cycle log a warning.
    public var stockMaxAge: Duration
    /// FRs per page when polling.
    public var pageSize: Int
    /// At most this many pages are read in one cycle; the rest wait for the next.
    public var maxPagesPerCycle: Int
    /// Acknowledged FRs still holding units are read back once their answer is this old.
    public var readBackAfter: Duration
    /// At most this many read-backs a cycle; nil: 5% of the cycle's request budget.
    public var readBackPerCycle: Int?
    /// A folder whose tracking files are imported after each cycle.
    public var trackingInbox: String?
    /// A file in the inbox is imported once it has not changed for this long.
    public var trackingSettle: Duration
    /// Push inventory after a cycle when the last push is at least this old.
    public var inventoryInterval: Duration?
    /// Whether scheduled pushes send cost too.
    public var inventoryCost: Bool
    /// Scheduled pushes add stock on its way landing within this long; nil: never.
    public var inventoryInboundWithin: Duration?
    /// Open FRs a cycle keeps in memory (about 1 KB each); past this many it keeps a summary of
    /// each and reads the FRs back from the database a batch at a time when it decides them.
    public var cycleFRsInMemory = 5000
    /// A hold waiting longer than this for a person raises `holds_waiting` (at most hourly).
    public var holdAlertAfter: Duration = .seconds(4 * 3600)

    public init(
        rulesPath: String, interval: Duration = .seconds(60), pauseFile: String,
        stockMaxAge: Duration = .seconds(86_400),
        pageSize: Int = 100, maxPagesPerCycle: Int = 500, readBackAfter: Duration = .seconds(2 * 86_400),
        readBackPerCycle: Int? = nil,
        trackingInbox: String? = nil, trackingSettle: Duration = .seconds(5), inventoryInterval: Duration? = nil,
        inventoryCost: Bool = false, inventoryInboundWithin: Duration? = nil
    ) {
        self.inventoryInboundWithin = inventoryInboundWithin
        self.trackingInbox = trackingInbox
        self.trackingSettle = trackingSettle
        self.inventoryInterval = inventoryInterval
        self.inventoryCost = inventoryCost
        self.readBackAfter = readBackAfter
        self.readBackPerCycle = readBackPerCycle
        self.rulesPath = rulesPath
        self.interval = interval
        self.pauseFile = pauseFile
        self.stockMaxAge = stockMaxAge
        self.pageSize = pageSize
        self.maxPagesPerCycle = max(1, maxPagesPerCycle)
    }

    /// Read-backs per cycle: 5% of the requests `requestsPerSecond` allows in one interval,
    /// at least one; 20 when the rate is unlimited.
    public func readBackBudget(requestsPerSecond: Double) -> Int {
        if let readBackPerCycle { return readBackPerCycle }
        guard requestsPerSecond > 0 else { return 20 }
        return max(1, Int(interval.timeInterval * requestsPerSecond * 0.05))
    }

    /// Whether the pause file exists: nothing is written to Flxpoint while it does.
    public var isPaused: Bool { FileManager.default.fileExists(atPath: pauseFile) }

    /// `PAUSE` in the folder holding the database.
    public static func pauseFile(besideDatabase path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "PAUSE" : (folder as NSString).appendingPathComponent("PAUSE")
    }
}
