import Foundation
import Logging
import ServiceLifecycle

/// Looks at the fleet's rules in force every few seconds, whatever the cycles do: a standby
/// (which runs no cycle) keeps up with the policy, so it decides by it from its first cycle
/// after a takeover, and `rules status` sees every live process. The cycles look too, first
/// thing, so a change is in force within one cycle on the process that answers.
public struct RuleWatch: Service {
    /// How often a process looks when no cycle has.
    public static let every = Duration.seconds(5)

    let rules: [RuleSource]
    let logger: Logger

    public init(rules: [RuleSource], logger: Logger) {
        self.rules = rules
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            for source in rules { await source.refresh(logger: logger) }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.every) }
        }
    }
}
