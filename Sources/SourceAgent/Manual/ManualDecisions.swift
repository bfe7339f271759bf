// Manual: a person's decisions and the hold queue they work from.

import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Records a person's decision for an FR (`source-agent decide`, the web console) through the
/// same pipeline as the rules' decisions: the stock plan against the ledger, reservations,
/// the outbox row, all in one transaction that the schema lets through at most once per FR.
public struct ManualDecisions: Sendable {
    let database: any SourceStore
    let logger: Logger
    let poolLock: PoolLock
    let clock: @Sendable () -> Date

    /// `poolLock`: the one the agent's cycles of this pool take, so a person's decision and a
    /// cycle never promise the same units.
    public init(
        database: any SourceStore, logger: Logger, poolLock: PoolLock? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.logger = logger
        self.poolLock = poolLock ?? PoolLock(pool: database.pool)
        self.clock = clock
    }

    /// Decides FR `key` (id or number) as `action` says, or throws `ManualDecisionRefused`
    /// saying why it cannot (unknown, closed upstream, already answered, not enough stock).
    /// `current`: the FR just read from Flxpoint, when the caller could; otherwise the
    /// version the last poll stored is decided, and the sender's checks catch a later change.
    public func decide(
        _ key: String, action: ManualAction, by person: String, note: String?, ruleSet: RuleSet,
        current: FulfillmentRequest? = nil, currentJSON: String? = nil
    ) async throws -> FRDecision {
        guard let standing = try await database.standing(of: key) else {
            throw ManualDecisionRefused(
                "FR \(key) is not known to this agent: it decides FRs it has polled (is it in this database?)")
        }
        let fr: FulfillmentRequest
        if let current {
            fr = current
        } else {
            do {
                fr = try FRListDecoder.decodeOne(text: standing.fr.rawJSON)
            } catch {
                throw ManualDecisionRefused("the stored FR \(key) no longer reads: \(error.description)")
            }
        }
        if let refusal = Self.notOpen(fr, standing: standing, readNow: current != nil) {
            throw ManualDecisionRefused(refusal)
        }
        let now = clock()
        let (decision, written) = try await poolLock.withLock {
            var ledger = try await database.loadLedger()
            let decision = try ManualDecision.decide(
                fr, action: action, by: person, note: note, ruleSet: ruleSet, ledger: &ledger, now: now)
            let written = try await database.recordDecision(
                decision, cycleId: nil, outbox: AnswerBuilder.draft(for: decision),
                input: DecisionInput(
                    frFingerprint: fr.answerFingerprint, frJSON: currentJSON ?? standing.fr.rawJSON,
                    heldSince: standing.heldSince),
                at: now)
            return (decision, written)
        }
        guard written else {
            let again = try await database.standing(of: String(fr.id))
            throw ManualDecisionRefused(
                again.flatMap { Self.notOpen(fr, standing: $0, readNow: current != nil) }
                    ?? "\(fr.displayName) was decided meanwhile")
        }
        logger.notice(
            "a person decided an FR",
            metadata: [
                "fr.id": "\(fr.id)", "decision": "\(decision.decision.rawValue)", "actor": "\(person)",
                "note": "\(note ?? "")",
            ])
        return decision
    }

    /// `decide --send` with no agent running: the FR is read from Flxpoint first (so the
    /// person decides what is there now), decided, and its answer sent at once.
    public func decideAndSend(
        _ key: String, action: ManualAction, by person: String, note: String?, ruleSet: RuleSet,
        api: any FlxpointSourceAPI, sender: OutboxSender
    ) async throws -> (decision: FRDecision, send: OutboxSender.Report?) {
        guard let standing = try await database.standing(of: key) else {
            return (try await decide(key, action: action, by: person, note: note, ruleSet: ruleSet), nil)
        }
        let current = try await api.fulfillmentRequest(id: standing.fr.id)
        let decision = try await decide(
            String(standing.fr.id), action: action, by: person, note: note, ruleSet: ruleSet, current: current,
            currentJSON: WireJSON.text(current))
        guard decision.decision != .hold else { return (decision, nil) }
        return (decision, try await sender.sendPending(only: [decision.frId]))
    }

    /// Why a person may not decide this FR now, or nil when they may. `readNow`: `fr` was just
    /// read from Flxpoint, which outweighs what the last poll saw.
    static func notOpen(_ fr: FulfillmentRequest, standing: FRStanding, readNow: Bool) -> String? {
        if fr.isClosedUpstream {
            return "\(fr.displayName) is \(fr.status ?? "voided") upstream: there is nothing to answer"
        }
        if standing.leftOpenList && !readNow {
            return "\(fr.displayName) was not in Flxpoint's open list at the last poll (voided, cancelled or "
                + "answered elsewhere): there is nothing to answer"
        }
        if let (decision, state) = standing.answer {
            var text =
                "\(fr.displayName) is already answered: \(decision.decision) by rule \(decision.rule)"
            if let person = decision.decidedBy { text += " (decided by \(person))" }
            text += " at \(Timestamp.utcString(decision.decidedAt)), answer \(state ?? "not queued")"
            if state == "failed" { text += "; 'source-agent answers retry \(fr.id)' lets it be decided again" }
            return text
        }
        if OutboxSender.answeredElsewhere(fr) {
            return "\(fr.displayName) was already answered outside this agent"
        }
        return nil
    }
}
