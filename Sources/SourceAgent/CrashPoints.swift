import Foundation
import Synchronization

/// Test hook for crash-safety tests: `SOURCE_AGENT_CRASH_AT=point:n` kills the process with
/// SIGKILL the n-th time it reaches `point`, the way a power cut would. Unset, it costs one
/// dictionary lookup at start-up and nothing after. Only debug (test) builds read it: in a
/// release build an environment variable can never make the agent kill itself.
public final class CrashPoints: Sendable {
    private let target: (point: String, count: Int)?
    private let seen = Mutex<Int>(0)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        #if DEBUG
            let spec = environment["SOURCE_AGENT_CRASH_AT"]
        #else
            let spec: String? = nil
        #endif
        if let spec, let colon = spec.lastIndex(of: ":"),
            let count = Int(spec[spec.index(after: colon)...])
        {
            target = (String(spec[..<colon]), count)
        } else {
            target = nil
        }
    }

    /// Points: `after-decision-commit`, `before-send`, `after-send` (Flxpoint processed the
    /// answer; the agent has not recorded it), and the same two around a shipment create:
    /// `before-shipment-send`, `after-shipment-send`.
    public func reach(_ point: String) {
        guard let target, target.point == point else { return }
        let hits = seen.withLock { count in
            count += 1
            return count
        }
        if hits == target.count { kill(getpid(), SIGKILL) }
    }
}
