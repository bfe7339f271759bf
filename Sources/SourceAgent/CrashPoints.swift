import Foundation
import Synchronization

/// Test hook for crash-safety tests: `SOURCE_AGENT_CRASH_AT=point:n` kills the process with
/// SIGKILL the n-th time it reaches `point`, the way a power cut would. Only the
/// `source-agent-crash-test` executable, which the tests run for this, arms it (`arm()`, first
/// thing in its `main`): `source-agent` itself, debug or release, never reads the variable, so no
/// environment can make the agent a warehouse runs kill itself. Unarmed, it costs nothing.
public final class CrashPoints: Sendable {
    private let target: (point: String, count: Int)?
    private let seen = Mutex<Int>(0)

    /// Set once by the crash-test executable before anything else runs.
    private static let armed = Atomic<Bool>(false)

    /// Lets `SOURCE_AGENT_CRASH_AT` take effect in this process: for the crash-test executable only.
    public static func arm() { armed.store(true, ordering: .sequentiallyConsistent) }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let spec = Self.armed.load(ordering: .sequentiallyConsistent) ? environment["SOURCE_AGENT_CRASH_AT"] : nil
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
