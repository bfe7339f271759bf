// SourceAgent: the agent's work over the store and the API. `Cycle/` is one poll cycle; `Outbox/` sends answers;
// the rest serve the daemon (service, locks, pause, metrics).

import AgentStore
import Foundation
import FulfillmentCore
import Logging
import ServiceLifecycle
import UnixSignals

/// How recent and how good the last cycle was, for `/healthz`.
public actor HealthState {
    public private(set) var lastFinished: Date?
    public private(set) var lastFailed = false
    public private(set) var lastError: String?

    public init() {}

    public func record(finishedAt: Date, error: (any Error)?) {
        lastFinished = finishedAt
        lastFailed = error != nil
        lastError = error.map { "\($0)" }
    }

    /// Healthy when the last cycle succeeded and finished within three intervals.
    public func isHealthy(now: Date, interval: Duration) -> Bool {
        guard let lastFinished, !lastFailed else { return false }
        return now.timeIntervalSince(lastFinished) <= 3 * interval.timeInterval
    }
}

/// The unattended loop: a `Cycle` every interval until graceful shutdown. A failed cycle is
/// logged and the loop goes on; the answer in flight at shutdown is finished.
public struct AgentService: Service {
    let cycle: Cycle
    let wake: CycleWake
    let logger: Logger
    /// On the shared store: a cycle runs only while this process holds the source's lease.
    let book: LeaseBook?

    public init(cycle: Cycle, wake: CycleWake = CycleWake(), book: LeaseBook? = nil, logger: Logger) {
        self.cycle = cycle
        self.wake = wake
        self.book = book
        self.logger = logger
    }

    public func run() async throws {
        wake.register(cycle.source)
        // Cancellation ends it too (the group cancels every service when one ends): a loop
        // that waited for a graceful shutdown alone would spin, each sleep throwing at once.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // The lease keeper's watchdog: this loop came round (it says so before each sleep,
            // with how long it means to sleep).
            book?.beat(cycle.source)
            if let book, book.epoch(of: cycle.source) == nil {
                // Standing by: another process answers this source, or none has the lease yet.
                // Looked at again soon (a read of memory), so a takeover starts within 0.1 s.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: CycleWake.step) }
                continue
            }
            do {
                try await cycle.run(shouldStop: { Task.isShuttingDownGracefully })
            } catch is CancellationError where Task.isCancelled {
                // The group is stopping (another service ended): not the cycle's failure.
                break
            } catch {
                logger.error("cycle failed; the next cycle tries again", metadata: ["error": "\(error)"])
            }
            book?.beat(cycle.source, quiet: cycle.interval)
            try? await cancelWhenGracefulShutdown {
                try await wake.sleep(for: cycle.interval, loop: cycle.source)
            }
        }
        logger.notice("agent stopped")
    }
}

/// Runs `action` each time the process receives `signal`, until graceful shutdown: SIGHUP
/// reloads the rules, SIGUSR1 (sent by `source-agent decide`) starts the next cycle now.
public struct SignalService: Service {
    let signal: UnixSignal
    let logger: Logger
    /// Logged when the signal arrives, e.g. "SIGHUP: reloading rules".
    let message: Logger.Message
    let action: @Sendable () async -> Void

    public init(
        _ signal: UnixSignal, logger: Logger, message: Logger.Message, action: @escaping @Sendable () async -> Void
    ) {
        self.signal = signal
        self.logger = logger
        self.message = message
        self.action = action
    }

    /// SIGHUP: the rule file is read again; a broken one keeps the old rules.
    public static func ruleReload(_ rules: RuleSource, logger: Logger) -> SignalService {
        SignalService(.sighup, logger: logger, message: "SIGHUP: reloading rules") {
            await rules.reload(logger: logger)
        }
    }

    /// SIGUSR1: `source-agent decide`, run from a shell while the agent runs, asks for the
    /// person's answer to go out now rather than after `--interval`.
    public static func wake(_ wake: CycleWake, logger: Logger) -> SignalService {
        SignalService(.sigusr1, logger: logger, message: "SIGUSR1: the next cycle starts now") { wake.poke() }
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: signal)
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.notice(message)
            await action()
        }
    }
}
