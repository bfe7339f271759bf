import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// One poll cycle: fetch open FRs, decide new and held ones oldest first, write each
/// decision with its reservations and answer in one transaction, then send the answers.
public struct PollService: Sendable {
    let database: AgentDatabase
    let api: any FlxpointSourceAPI
    let rules: RuleSource
    let sender: OutboxSender
    let sweep: ReadBackSweep?
    let settings: AgentSettings
    let logger: Logger
    let metrics: AgentMetrics
    let crash: CrashPoints
    let clock: @Sendable () -> Date

    public init(
        database: AgentDatabase, api: any FlxpointSourceAPI, rules: RuleSource, sender: OutboxSender,
        sweep: ReadBackSweep? = nil, settings: AgentSettings, logger: Logger, metrics: AgentMetrics = AgentMetrics(),
        crash: CrashPoints = CrashPoints(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.api = api
        self.rules = rules
        self.sender = sender
        self.sweep = sweep
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.crash = crash
        self.clock = clock
    }

    /// What a cycle did.
    public struct CycleReport: Sendable, Equatable {
        public var cycleId: Int64 = 0
        public var fetched = 0
        public var decided = 0
        public var quarantined = 0
        public var guardTripped = false
        public var paused = false
        public var send = OutboxSender.Report()
        public var readBack = ReadBackSweep.Report()
        public var decisions: [String: Int] = [:]
    }

    public var isPaused: Bool { settings.isPaused }

    /// Runs one cycle. A failure is recorded on the cycle row and rethrown; nothing decided
    /// before it is lost.
    public func runCycle(shouldStop: @Sendable () -> Bool = { false }) async throws -> CycleReport {
        let started = clock()
        var report = CycleReport()
        var cycle = try await database.beginCycle(at: started)
        report.cycleId = cycle.id ?? 0
        // Copies the report onto the cycle row, on success and on failure alike.
        func finish(error: String?) async throws -> Date {
            let finished = clock()
            cycle.finishedAt = finished
            cycle.fetched = report.fetched
            cycle.decided = report.decided
            cycle.sent = report.send.sent
            cycle.failed = report.send.failed
            cycle.quarantined = report.quarantined
            cycle.guardTripped = report.guardTripped
            cycle.error = error
            try await database.finishCycle(cycle)
            return finished
        }
        do {
            try await decideOpenFRs(&report, shouldStop: shouldStop)
            if report.paused {
                logger.notice(
                    "paused: decisions are held and no answer is sent",
                    metadata: ["pause.file": "\(settings.pauseFile)"])
            } else {
                report.send = try await sender.sendPending(shouldStop: shouldStop)
            }
            if let sweep, !shouldStop() { report.readBack = try await sweep.run() }
            let finished = try await finish(
                error: report.guardTripped ? "guard: too many cancels held for review" : nil)
            metrics.cycle(succeeded: true, seconds: finished.timeIntervalSince(started))
            logger.info(
                "cycle finished",
                metadata: [
                    "cycle.id": "\(report.cycleId)", "cycle.fetched": "\(report.fetched)",
                    "cycle.decided": "\(report.decided)",
                    "cycle.sent": "\(report.send.sent)", "cycle.failed": "\(report.send.failed)",
                    "poll.duration_ms": "\(Int(finished.timeIntervalSince(started) * 1000))",
                ])
            return report
        } catch {
            _ = try? await finish(error: "\(error)")
            metrics.cycle(succeeded: false, seconds: clock().timeIntervalSince(started))
            throw error
        }
    }

    private func decideOpenFRs(_ report: inout CycleReport, shouldStop: @Sendable () -> Bool) async throws {
        let now = clock()
        await warnIfStockIsStale(now)
        var seen: [FulfillmentRequest] = []
        for try await page in api.fulfillmentRequestPages(FRQuery(pageSize: settings.pageSize)) {
            var decoded: [(fr: FulfillmentRequest, rawJSON: String)] = []
            for entry in page {
                switch entry.result {
                case .success(let fr):
                    decoded.append((fr, entry.rawJSON))
                    seen.append(fr)
                case .failure(let failure):
                    if try await database.quarantine(failure, at: now) {
                        report.quarantined += 1
                        metrics.quarantined()
                        logger.error(
                            "malformed FR quarantined; it is read again when it changes upstream",
                            metadata: [
                                "fr.id": "\(failure.frId.map(String.init) ?? "unknown")",
                                "error": "\(failure.description)",
                            ])
                    }
                }
            }
            try await database.recordSeen(decoded, at: now)
            report.fetched += page.count
        }
        let answered = try await database.answeredFRIds(among: seen.map(\.id))
        let candidates = Decider.oldestFirst(seen.filter { !answered.contains($0.id) })
        guard !candidates.isEmpty else { return }
        let latest = try await database.latestDecisions(for: candidates.map(\.id))
        let ruleSet = await rules.current
        var ledger = try await database.loadLedger()
        var decided: [(FRDecision, [String: [String: StockFigure]])] = []
        for fr in candidates {
            let figures = Self.figures(for: fr, in: ledger)
            decided.append((Decider.decide(fr, ruleSet: ruleSet, ledger: &ledger, now: now), figures))
        }
        report.guardTripped = CycleGuard.apply(ruleSet.guards, to: &decided)
        if report.guardTripped {
            metrics.guardTripped()
            logger.error(
                "guard tripped: this cycle would cancel too many FRs; the cancels are held for review",
                metadata: [
                    "guard.max_cancel_share": "\(ruleSet.guards.maxCancelShare ?? 1)", "cycle.size": "\(decided.count)",
                ])
        }
        report.paused = isPaused
        for (decision, figures) in decided {
            if shouldStop() { break }
            var decision = decision
            if report.paused, decision.decision != .hold { decision = Self.heldForPause(decision) }
            if decision.decision == .hold, let previous = latest[decision.frId], Self.sameOutcome(previous, decision) {
                continue
            }
            let written = try await database.recordDecision(
                decision, figures: figures, cycleId: report.cycleId, outbox: AnswerBuilder.draft(for: decision),
                at: clock())
            guard written else { continue }
            crash.reach("after-decision-commit")
            report.decided += 1
            report.decisions[decision.decision.rawValue, default: 0] += 1
            metrics.decided(decision: decision.decision.rawValue, rule: decision.rule)
            logger.info(
                "decided",
                metadata: [
                    "fr.id": "\(decision.frId)", "decision": "\(decision.decision.rawValue)",
                    "rule": "\(decision.rule)",
                ])
        }
    }

    private func warnIfStockIsStale(_ now: Date) async {
        let last = try? await database.lastStockImport()
        let maxAge = settings.stockMaxAge.timeInterval
        if let last, now.timeIntervalSince(last) <= maxAge { return }
        logger.warning(
            "stock is stale: decisions are only as right as the stock they use; run 'source-agent stock import'",
            metadata: ["stock.last_import": "\(last.map(Timestamp.utcString) ?? "never")"])
    }

    /// The stock the FR's SKUs had when it was decided, stored with the decision.
    static func figures(for fr: FulfillmentRequest, in ledger: StockLedger) -> [String: [String: StockFigure]] {
        var out: [String: [String: StockFigure]] = [:]
        for sku in Set(fr.items.compactMap(\.sku)) {
            for location in ledger.locations(of: sku) {
                out[sku, default: [:]][location] = StockFigure(
                    onHand: ledger.onHand[sku]?[location] ?? 0, reserved: ledger.reserved[sku]?[location] ?? 0)
            }
        }
        return out
    }

    static func heldForPause(_ decision: FRDecision) -> FRDecision {
        var held = decision
        held.note = "paused; would \(decision.decision.rawValue) by rule \(decision.rule)"
        held.decision = .hold
        held.reason = nil
        held.remainder = nil
        held.lines = []
        held.reservations = []
        held.trace.notes.append("the agent is paused: nothing is sent")
        return held
    }

    static func sameOutcome(_ previous: DecisionRecord, _ decision: FRDecision) -> Bool {
        previous.decision == decision.decision.rawValue && previous.rule == decision.rule
            && previous.reason == decision.reason?.rawValue && previous.note == decision.note
    }
}
