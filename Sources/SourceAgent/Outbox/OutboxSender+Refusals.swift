import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// What the sender does when a send is refused or fails: read the FR back, then settle the
/// answer as sent, failed, withdrawn or to retry later.
extension OutboxSender {
    /// One answer that may already have reached Flxpoint: read back first, then sent only
    /// when the FR shows no answer and nothing changed.
    func sendAfterReadBack(_ answer: DueAnswer, body: AdjustRequest?) async throws -> Outcome {
        let row = answer.record
        guard let id = row.id else { return .later }
        var meta = Self.meta(row)
        let fr = try await api.fulfillmentRequest(id: row.frId)
        if let outcome = try await settle(answer, readBack: fr, body: body, meta: meta) { return outcome }
        if settings?.isPaused == true { return .later }
        try await database.markAttempt(id, at: clock())
        crash.reach("before-send")
        let outcome: WriteOutcome
        do {
            if let body {
                outcome = try await api.adjust(frId: row.frId, body)
            } else {
                outcome = try await api.acknowledge(frId: row.frId)
            }
        } catch let error as FlxpointError where error.isPermanentRefusal {
            return try await explainRefusal(answer, body: body, error: error, meta: meta)
        }
        crash.reach("after-send")
        try await database.markDone(id, outcome: "\(outcome)", at: clock())
        metrics.answer(outcome: "\(outcome)")
        meta["answer.outcome"] = "\(outcome)"
        logger.info("answer sent", metadata: meta)
        return .sent
    }

    /// What the FR as read back says about an answer: nil when it is safe to send (again).
    /// Before a send, a voided or changed FR withdraws the answer (a changed one is decided
    /// again); after Flxpoint refused it (`refusal`), the same findings explain the refusal
    /// and the answer is failed, for a person to look at and `answers retry`.
    func settle(
        _ answer: DueAnswer, readBack fr: FulfillmentRequest, body: AdjustRequest?, refusal: FlxpointError? = nil,
        meta: Logger.Metadata
    ) async throws -> Outcome? {
        let row = answer.record
        if Self.carries(fr, body: body) {
            try await database.markDone(row.id!, outcome: "reconciled", at: clock())
            metrics.answer(outcome: "reconciled")
            logger.info("answer found already applied", metadata: meta)
            return .sent
        }
        let finding: String
        if fr.isClosedUpstream {
            finding = "the FR is \(fr.status ?? "voided") upstream"
        } else if Self.answeredElsewhere(fr) {
            return try await fail(
                answer, reason: Self.reason("the FR was already answered outside this agent", refusal), meta: meta)
        } else if let decided = answer.frFingerprint, decided != fr.answerFingerprint {
            finding = "the FR changed upstream after it was decided"
        } else {
            return nil
        }
        if refusal != nil { return try await fail(answer, reason: Self.reason(finding, refusal), meta: meta) }
        return try await withdraw(
            answer, reason: finding + ": this answer is not sent", stillOpen: !fr.isClosedUpstream, meta: meta)
    }

    static func reason(_ finding: String, _ refusal: FlxpointError?) -> String {
        guard let refusal else { return finding }
        return "\(refusal.description); read back: \(finding)"
    }

    /// Another 4xx on the write: the FR read back says whether the refusal is final.
    func explainRefusal(_ answer: DueAnswer, body: AdjustRequest?, error: FlxpointError, meta: Logger.Metadata)
        async throws -> Outcome
    {
        var meta = meta
        meta["error"] = "\(error.description)"
        let fr = try await api.fulfillmentRequest(id: answer.record.frId)
        if let outcome = try await settle(answer, readBack: fr, body: body, refusal: error, meta: meta) {
            return outcome
        }
        logger.warning(
            "Flxpoint refused the answer but the FR shows no reason; it is tried again later", metadata: meta)
        try await backOff(answer.record, because: error.description)
        return .later
    }

    /// Whether the FR already shows this answer.
    static func carries(_ fr: FulfillmentRequest, body: AdjustRequest?) -> Bool {
        guard let body else { return AnswerCheck.isAcknowledged(fr) }
        if case .done? = try? AnswerCheck.adjustState(fr, body, endpoint: "outbox") { return true }
        return false
    }

    /// Some answer is on the FR, but not ours.
    static func answeredElsewhere(_ fr: FulfillmentRequest) -> Bool {
        AnswerCheck.isAcknowledged(fr)
            || fr.items.contains { ($0.acknowledgedQuantity ?? 0) > 0 || ($0.voidedQuantity ?? 0) > 0 }
    }

    func fail(_ answer: DueAnswer, reason: String, meta: Logger.Metadata) async throws -> Outcome {
        try await database.markFailed(answer.record.id!, reason: reason, at: clock())
        metrics.answer(outcome: "failed")
        var meta = meta
        meta["reason"] = "\(reason)"
        logger.error(
            "answer failed; its stock is released ('source-agent answers retry' decides it again)", metadata: meta)
        await alerts.raise(.answerRefused, frId: answer.record.frId, message: reason)
        return .failed
    }

    func withdraw(_ answer: DueAnswer, reason: String, stillOpen: Bool, meta: Logger.Metadata) async throws
        -> Outcome
    {
        try await database.withdrawPending(
            frId: answer.record.frId, reason: reason, backToPerson: stillOpen, at: clock())
        metrics.answer(outcome: "withdrawn")
        var meta = meta
        meta["reason"] = "\(reason)"
        logger.notice("answer withdrawn before it was sent", metadata: meta)
        return .withdrawn
    }

    func backOff(_ row: OutboxRecord, because problem: String) async throws {
        guard let id = row.id else { return }
        let now = clock()
        let retryAt = now.addingTimeInterval(Backoff.seconds(afterAttempt: row.attempts + 1, base: 30, cap: 3600))
        try await database.recordSendError(id, error: problem, retryAt: retryAt, at: now)
        logger.warning(
            "answer not sent; it is tried again later",
            metadata: [
                "fr.id": "\(row.frId)", "error": "\(problem)", "answer.retry_at": "\(Timestamp.utcString(retryAt))",
            ])
    }
}
