import Foundation
import FulfillmentCore

/// The decision log: every decision and why, written with its reservations and answer.
public protocol DecisionStore: Sendable {
    /// FR ids that already have a live answer (a non-hold decision not withdrawn); they are
    /// not decided again.
    func answeredFRIds(among ids: [Int]) async throws -> Set<Int>
    /// What the newest decision for each FR among `ids` said, without its JSON columns: a
    /// backlog of held FRs is compared with it every cycle.
    func latestOutcomes(for ids: [Int]) async throws -> [Int: LoggedOutcome]
    /// The newest decision for each FR among `ids`.
    func latestDecisions(for ids: [Int]) async throws -> [Int: DecisionRecord]
    /// When each FR among `ids` was first held since its last withdrawn answer, for hold
    /// escalation. Guard holds do not count: the guard is the agent's caution, not a rule's.
    func firstHeld(among ids: [Int]) async throws -> [Int: Date]
    /// Writes several decisions in one transaction: each with its reservations and outbox
    /// row, all or none, and one commit (one sync to disk) for the lot. Nothing is sent
    /// before its decision is committed, so a crash before the commit loses only decisions
    /// that the next cycle takes again. Returns, per decision, whether it was written (false
    /// when its FR already has an answer, or a person keeps a rule's decision away).
    func recordDecisions(_ writes: [DecisionWrite], cycleId: Int64?, at now: Date) async throws -> [Bool]
    /// Every decision for an FR, by id or number, oldest first.
    func decisions(forFR key: String) async throws -> [DecisionRecord]
    /// Rebuilds the full decision from its row, for `explain` and reports.
    func fullDecision(_ row: DecisionRecord) async throws -> FRDecision
}

extension DecisionStore {
    /// Writes one decision with its reservations and outbox row in one transaction, so a
    /// crash leaves either all of it or none. Returns false, writing nothing, when the FR
    /// already has an answer.
    @discardableResult
    public func recordDecision(
        _ decision: FRDecision, cycleId: Int64?, outbox: OutboxDraft?, input: DecisionInput = DecisionInput(),
        at now: Date
    ) async throws -> Bool {
        try await recordDecisions([DecisionWrite(decision, outbox: outbox, input: input)], cycleId: cycleId, at: now)[0]
    }
}
