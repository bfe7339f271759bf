import Foundation

/// The one clock every command reads: the wall clock, moved by `SOURCE_AGENT_TIME_OFFSET`
/// seconds when that is set. A rehearsal ("what would Friday's run do with these FRs?") and
/// the test suite set it so that fixtures with fixed dates decide the same on any day, at
/// any hour, in any zone; each process reads the same offset, so time still moves forward
/// from one command to the next. `run` logs the offset when there is one. The rate limiter
/// alone keeps real time: its slot file is shared with processes that may not share it.
public enum AgentClock {
    public static let environmentName = "SOURCE_AGENT_TIME_OFFSET"

    /// At most ~100 years either way: beyond that no date in the agent means anything.
    static let longest: TimeInterval = 100 * 366 * 86_400

    /// The offset in seconds, or nil when the variable is unset; an unreadable value is an
    /// error naming the variable, never a silent zero.
    public static func offset(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClockError) -> TimeInterval? {
        guard let text = environment[environmentName], !text.isEmpty else { return nil }
        guard let seconds = Double(text), seconds.isFinite, abs(seconds) <= longest else {
            throw ClockError(
                message: "\(environmentName) must be a number of seconds (at most ±100 years), got '\(text.prefix(40))'"
            )
        }
        return seconds
    }

    /// Read once: every reading in one process uses the same offset.
    static let current: TimeInterval = (try? offset()) ?? 0

    /// Now, by the agent's clock.
    public static func now() -> Date { Date().addingTimeInterval(current) }

    /// Why the offset variable cannot be used.
    public struct ClockError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "error: \(message)" }
    }
}
