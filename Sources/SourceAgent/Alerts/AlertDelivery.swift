import AgentStore
import FlxpointAPI
import Foundation
import Logging
import ServiceLifecycle

/// Where alerts go: an HTTP webhook in production, a local receiver in tests.
public protocol AlertTransport: Sendable {
    /// Posts one JSON alert; the HTTP status.
    func post(_ body: Data) async throws -> Int
}

extension WebhookClient: AlertTransport {}

/// Delivers queued alerts in the background, retrying a failing webhook with back-off, so
/// a slow or broken receiver never holds up a cycle.
public struct AlertDelivery: Service {
    let database: any SourceStore
    let transport: any AlertTransport
    let logger: Logger
    let clock: @Sendable () -> Date
    let every: Duration

    /// A webhook that keeps failing is given up on after this many attempts (about a day).
    static let maxAttempts = 30

    public init(
        database: any SourceStore, transport: any AlertTransport, logger: Logger, every: Duration = .seconds(2),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.transport = transport
        self.logger = logger
        self.every = every
        self.clock = clock
    }

    public func run() async throws {
        // Cancellation ends it too (the group cancels every service when one ends): a loop
        // that waited for a graceful shutdown alone would spin, each sleep throwing at once.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = await deliverDue()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
        _ = await deliverDue()
    }

    /// One pass over the alerts due now; how many were delivered.
    @discardableResult
    public func deliverDue() async -> Int {
        guard let due = try? await database.dueAlerts(at: clock(), limit: 100) else { return 0 }
        var delivered = 0
        for alert in due {
            var problem: String?
            do {
                let status = try await transport.post(Data(alert.payloadJSON.utf8))
                if !(200..<300).contains(status) { problem = "the webhook answered \(status)" }
            } catch {
                problem = "\(error)"
            }
            let attempts = alert.attempts + 1
            let retryAt =
                problem == nil || attempts >= Self.maxAttempts
                ? nil : clock().addingTimeInterval(Backoff.seconds(afterAttempt: attempts, base: 5, cap: 3600))
            try? await database.finishAlert(alert.id, sent: problem == nil, error: problem, retryAt: retryAt)
            if let problem {
                logger.warning(
                    retryAt == nil ? "alert webhook kept failing; alert dropped" : "alert webhook failed; retrying",
                    metadata: ["alert.event": "\(alert.event)", "error": "\(problem)"])
                break  // the receiver is down: the rest wait for the next pass
            }
            delivered += 1
        }
        return delivered
    }
}

/// Exponential back-off for work the agent retries on its own schedule.
enum Backoff {
    /// `base` × 2^(attempt − 1), capped.
    static func seconds(afterAttempt attempt: Int, base: TimeInterval, cap: TimeInterval) -> TimeInterval {
        min(cap, base * pow(2, Double(min(30, max(0, attempt - 1)))))
    }
}
