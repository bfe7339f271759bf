import Foundation
import Logging
import ServiceLifecycle

/// Looks at the fleet's rules in force every few seconds, whatever the cycles do: a standby
/// (which runs no cycle) keeps up with the policy, so it decides by it from its first cycle
/// after a takeover, and `rules status` sees every live process. The cycles look too, first
/// thing, so a change is in force within one cycle on the process that answers.
public struct RuleWatch: Service {
    /// The longest a process goes without looking.
    public static let longest = Duration.seconds(5)

    let rules: [RuleSource]
    let every: Duration
    let logger: Logger

    /// Looks every `interval` (the shortest poll interval of the process's sources), at most
    /// `longest` apart: a standby sees a new version within one of its cycles too.
    public init(rules: [RuleSource], interval: Duration, logger: Logger) {
        self.rules = rules
        every = min(interval, Self.longest)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            for source in rules { await source.refresh(logger: logger) }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
