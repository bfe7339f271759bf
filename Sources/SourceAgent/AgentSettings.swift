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

    public init(
        rulesPath: String, interval: Duration = .seconds(60), pauseFile: String,
        stockMaxAge: Duration = .seconds(86_400),
        pageSize: Int = 100
    ) {
        self.rulesPath = rulesPath
        self.interval = interval
        self.pauseFile = pauseFile
        self.stockMaxAge = stockMaxAge
        self.pageSize = pageSize
    }

    /// `PAUSE` in the folder holding the database.
    public static func pauseFile(besideDatabase path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "PAUSE" : (folder as NSString).appendingPathComponent("PAUSE")
    }
}
