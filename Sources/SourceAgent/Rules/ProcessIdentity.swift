import Foundation

/// Who this process is to the rest of the fleet: a random identity new at every start (the
/// lease holder's on the shared store), and the host and pid people read.
public struct ProcessIdentity: Sendable, Equatable {
    public var holder: String
    public var host: String
    public var pid: Int

    public init(
        holder: String = UUID().uuidString.lowercased(), host: String = ProcessInfo.processInfo.hostName,
        pid: Int = Int(getpid())
    ) {
        self.holder = holder
        self.host = host
        self.pid = pid
    }

    /// `host:pid`, as people name a process.
    public var label: String { "\(host):\(pid)" }
}
