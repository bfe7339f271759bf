import AgentStore
import Foundation
import FulfillmentCore
import Logging

/// The cycle's deciding step: the open FRs not answered yet go through the decision
/// pipeline oldest first, against the pool's ledger, and each batch of decisions is written
/// with its reservations and answer in one transaction.
struct CycleDecisions: Sendable {
    let database: any SourceStore
    let rules: RuleSource
    let poolLock: PoolLock
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics
    let crash: CrashPoints
    let clock: @Sendable () -> Date

    /// Another source's FR seen this recently and not decided yet keeps its units from this
    /// source's younger FRs: long enough for a cycle of 50,000 FRs, short enough that a source
    /// stopped between reading and deciding does not hold stock back for long.
    static let poolWaitWindow: TimeInterval = 15 * 60

    /// Decisions written in one transaction: each commit waits for the disk.
    static let decisionsPerCommit = 200

    /// Decides and records `reading`'s open FRs that are neither answered nor kept on hold by
    /// a person. `paused` turns every answer into a hold.
    func decide(
        _ reading: FRReader.Reading, at now: Date, paused: Bool, report: inout CycleReport,
        shouldStop: @Sendable () -> Bool
    ) async throws {
        let seen = reading.frs
        let answered = try await database.answeredFRIds(among: seen.map(\.id))
        let open = seen.filter { !answered.contains($0.id) && !$0.isClosedUpstream }
        let latest = try await database.latestOutcomes(for: open.map(\.id))
        // A person's keep-holding is final until its `--until`: the rules do not see those FRs.
        let candidates = SeenFR.oldestFirst(open.filter { latest[$0.id]?.heldByPerson(at: now) != true })
        guard !candidates.isEmpty else { return }
        let heldSince = try await database.firstHeld(among: candidates.map(\.id))
        let ruleSet = await rules.current
        func frs(_ batch: ArraySlice<SeenFR>) async throws -> [FulfillmentRequest] {
            if let kept = reading.kept { return batch.compactMap { kept[$0.id]?.fr } }
            return try await StoredFRs.load(ids: batch.map(\.id), from: database)
        }
        // The pool's ledger is read, decided against and written back while no other source
        // drawing on the pool does the same: otherwise both would promise the same free units.
        try await poolLock.withLock {
            // Decided and recorded a batch at a time (the stream's first pass settles the guard),
            // so memory holds the FRs and one batch of decisions, whatever the backlog.
            var stream = DecisionCycle.Stream(
                ruleSet: ruleSet, ledger: try await database.loadLedger(), now: now, heldSince: heldSince,
                paused: paused)
            let waiting = try await waitingInPool(youngest: candidates.last, kept: reading.kept, now: now)
            if !waiting.isEmpty { stream.giveWay(to: waiting, pool: database.pool) }
            if stream.guardApplies(cycleSize: candidates.count) {
                for batch in candidates.chunked(Self.decisionsPerCommit) { stream.count(try await frs(batch)) }
            }
            stream.settleGuard(cycleSize: candidates.count)
            report.guardTripped = stream.guardTripped
            if report.guardTripped { await guardTripped(ruleSet, cycleSize: candidates.count) }
            for batch in candidates.chunked(Self.decisionsPerCommit) {
                if shouldStop() { break }
                var items: [(FRDecision, OutboxDraft?, DecisionInput)] = []
                for fr in try await frs(batch) {
                    let decision = stream.next(fr)
                    if decision.decision == .hold {
                        await noteHold(decision, since: heldSince[decision.frId] ?? now, report: &report)
                        if let previous = latest[decision.frId], Self.sameOutcome(previous, decision) { continue }
                    }
                    items.append(
                        (
                            decision, AnswerBuilder.draft(for: decision),
                            DecisionInput(
                                frFingerprint: fr.answerFingerprint, frJSON: reading.kept?[fr.id]?.rawJSON,
                                frJSONAsSeen: true, heldSince: heldSince[fr.id])
                        ))
                }
                let writes = await DecisionWrites.make(items)
                let written = try await database.recordDecisions(writes, cycleId: report.cycleId, at: clock())
                for (write, written) in zip(writes, written) where written {
                    crash.reach("after-decision-commit")
                    await record(write.decision, &report)
                }
            }
        }
    }

    /// Other sources' FRs in the pool, older than this cycle's youngest and not decided yet,
    /// that ask for a SKU this cycle's FRs want: this cycle gives way to them.
    private func waitingInPool(
        youngest: SeenFR?, kept: [Int: (fr: FulfillmentRequest, rawJSON: String)]?, now: Date
    ) async throws -> [FulfillmentRequest] {
        let waiting = try await database.undecidedElsewhereInPool(
            seenSince: now.addingTimeInterval(-Self.poolWaitWindow), createdBy: youngest?.createdAt)
        guard !waiting.isEmpty else { return [] }
        var frs = try await poolLock.waitingFRs(waiting, for: database.source) {
            try await StoredFRs.loadWaiting($0, from: database)
        }
        // An FR asking only for SKUs none of this cycle's FRs wants changes nothing here.
        if let kept {
            let skus = Set(kept.values.flatMap { $0.fr.items.compactMap(\.sku) })
            frs.removeAll { fr in !fr.items.contains { $0.sku.map(skus.contains) ?? false } }
        }
        return frs
    }

    private func guardTripped(_ ruleSet: RuleSet, cycleSize: Int) async {
        metrics.guardTripped()
        let message = "this cycle would cancel too many FRs; the cancels are held for review"
        logger.error(
            "guard tripped: \(message)",
            metadata: [
                "guard.max_cancel_share": "\(ruleSet.guards.maxCancelShare ?? 1)", "cycle.size": "\(cycleSize)",
            ])
        await alerts.raise(.guardTripped, message: "\(message) (\(cycleSize) FRs)")
    }

    /// Counts a hold in the cycle's summary and alerts when it can no longer meet its ship-by day.
    private func noteHold(_ decision: FRDecision, since: Date, report: inout CycleReport) async {
        report.holds.record(since: since, meetsShipBy: decision.facts.ship.meetsShipBy)
        guard !decision.facts.ship.meetsShipBy else { return }
        await alerts.raise(
            .holdPastShipBy, frId: decision.frId, frNumber: decision.frNumber, rule: decision.rule,
            message: "held and can no longer meet its ship-by day")
    }

    private func record(_ decision: FRDecision, _ report: inout CycleReport) async {
        report.decided += 1
        report.decisions[decision.decision.rawValue, default: 0] += 1
        metrics.decided(decision: decision.decision.rawValue, rule: decision.rule)
        logger.info(
            "decided",
            metadata: [
                "fr.id": "\(decision.frId)", "decision": "\(decision.decision.rawValue)", "rule": "\(decision.rule)",
            ])
        if decision.override == .escalated {
            let note = decision.trace.notes.last { $0.hasPrefix("escalated:") } ?? "escalated"
            metrics.escalated(rule: decision.rule)
            await alerts.raise(
                .holdEscalated, frId: decision.frId, frNumber: decision.frNumber, rule: decision.rule,
                message: "\(decision.decision.rawValue): \(note)")
        }
    }

    /// A hold the log already says, in the same words: not written again every cycle.
    static func sameOutcome(_ previous: LoggedOutcome, _ decision: FRDecision) -> Bool {
        previous.decision == decision.decision && previous.rule == decision.rule
            && previous.reason == decision.reason && previous.note == decision.note
    }
}
