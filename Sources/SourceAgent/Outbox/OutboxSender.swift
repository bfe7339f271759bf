import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Sends pending answers, oldest first, and records what Flxpoint said.
///
/// Each send is counted in the database before it starts. A row with an earlier attempt
/// may already have reached Flxpoint (a crash, a lost reply), so it is first checked by
/// reading the FR back; only an FR that shows no answer is sent again.
public struct OutboxSender: Sendable {
    let database: AgentDatabase
    let api: any FlxpointSourceAPI
    let logger: Logger
    let metrics: AgentMetrics
    let crash: CrashPoints
    let clock: @Sendable () -> Date

    public init(
        database: AgentDatabase, api: any FlxpointSourceAPI, logger: Logger, metrics: AgentMetrics = AgentMetrics(),
        crash: CrashPoints = CrashPoints(), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.api = api
        self.logger = logger
        self.metrics = metrics
        self.crash = crash
        self.clock = clock
    }

    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var deferred = 0
    }

    /// Sends until the backlog is empty, `shouldStop` says so between answers, or Flxpoint
    /// cannot be reached (the rest wait for the next cycle).
    public func sendPending(shouldStop: @Sendable () -> Bool = { false }) async throws -> Report {
        var report = Report()
        let pending = try await database.pendingOutbox()
        for (index, row) in pending.enumerated() {
            if shouldStop() {
                report.deferred += pending.count - index
                break
            }
            guard let id = row.id else { continue }
            var meta: Logger.Metadata = ["fr.id": "\(row.frId)", "answer.kind": "\(row.kind.rawValue)"]
            do {
                if row.attempts > 0, let outcome = try await alreadyAnswered(row) {
                    try await database.markDone(id, outcome: outcome, at: clock())
                    logger.info("answer found already applied", metadata: meta)
                    metrics.answer(outcome: outcome)
                    report.sent += 1
                    continue
                }
                try await database.markAttempt(id, at: clock())
                crash.reach("before-send")
                let outcome: WriteOutcome
                switch row.kind {
                case .acknowledge: outcome = try await api.acknowledge(frId: row.frId)
                case .adjust: outcome = try await api.adjust(frId: row.frId, try AnswerBuilder.adjustBody(row))
                }
                crash.reach("after-send")
                try await database.markDone(id, outcome: "\(outcome)", at: clock())
                metrics.answer(outcome: "\(outcome)")
                meta["answer.outcome"] = "\(outcome)"
                logger.info("answer sent", metadata: meta)
                report.sent += 1
            } catch let error as FlxpointError where error.isPermanentRefusal {
                try await database.markFailed(id, reason: error.description, at: clock())
                metrics.answer(outcome: "failed")
                meta["error"] = "\(error.description)"
                logger.error("Flxpoint refused the answer; marked failed and its stock released", metadata: meta)
                report.failed += 1
            } catch let error as FlxpointError {
                try await database.recordSendError(id, error: error.description, at: clock())
                meta["error"] = "\(error.description)"
                logger.warning("answer not sent; it stays in the outbox for the next cycle", metadata: meta)
                report.deferred += pending.count - index
                break
            }
        }
        await metrics.outboxBacklog(try database.pendingOutboxCount())
        return report
    }

    /// Reads the FR back: nil when it shows no answer (safe to send), else how it was found.
    private func alreadyAnswered(_ row: OutboxRecord) async throws -> String? {
        let fr = try await api.fulfillmentRequest(id: row.frId)
        switch row.kind {
        case .acknowledge:
            return AnswerCheck.isAcknowledged(fr) ? "reconciled" : nil
        case .adjust:
            switch try AnswerCheck.adjustState(fr, try AnswerBuilder.adjustBody(row), endpoint: "outbox") {
            case .done: return "reconciled"
            case .notDone: return nil
            }
        }
    }
}
