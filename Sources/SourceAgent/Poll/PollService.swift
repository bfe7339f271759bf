import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import Synchronization

/// One poll cycle: fetch open FRs, decide new and held ones oldest first, write each
/// decision with its reservations and answer in one transaction, then send the answers.
public struct PollService: Sendable {
    let database: AgentDatabase
    let api: any FlxpointSourceAPI
    let rules: RuleSource
    let sender: OutboxSender
    let sweep: ReadBackSweep?
    let settings: AgentSettings
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics
    let crash: CrashPoints
    let clock: @Sendable () -> Date
    let poolLock: PoolLock
    let tolerated = OncePerKey()

    public init(
        database: AgentDatabase, api: any FlxpointSourceAPI, rules: RuleSource, sender: OutboxSender,
        sweep: ReadBackSweep? = nil, settings: AgentSettings, alerts: Alerts = .off, logger: Logger,
        metrics: AgentMetrics = AgentMetrics(),
        crash: CrashPoints = CrashPoints(), poolLock: PoolLock? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.poolLock = poolLock ?? PoolLock(pool: database.pool)
        self.database = database
        self.api = api
        self.rules = rules
        self.sender = sender
        self.sweep = sweep
        self.settings = settings
        self.alerts = alerts
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
        /// Unsent answers withdrawn because their FR changed or closed upstream.
        public var withdrawn = 0
        public var guardTripped = false
        public var paused = false
        public var send = OutboxSender.Report()
        public var readBack = ReadBackSweep.Report()
        public var decisions: [String: Int] = [:]
        /// Pending answers whose FR left the open list: read back before they are sent.
        public var verify: Set<Int> = []
        public var holds = HoldSummary()
        /// When the whole open list was read; nil when the listing was cut short.
        public var listedAt: Date?
        /// Where the cycle's time went, in seconds: reading FRs, deciding and recording, sending.
        public var phases = Phases()
    }

    public struct Phases: Sendable, Equatable {
        public var read = 0.0
        public var decide = 0.0
        public var send = 0.0
    }

    /// The holds still open after a cycle.
    public struct HoldSummary: Sendable, Equatable {
        public var open = 0
        public var oldestSince: Date?
        public var pastShipBy = 0
    }

    /// Flxpoint refused the token: nothing was sent and every answer is kept.
    public struct AuthFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public var isPaused: Bool { settings.isPaused }

    /// Runs one cycle: poll and decide, then send what is due, even when the poll failed.
    /// A failure is recorded on the cycle row and rethrown once the answers went out;
    /// nothing decided before it is lost. A refused token stops all sending and throws
    /// `AuthFailure`.
    public func runCycle(shouldStop: @Sendable () -> Bool = { false }) async throws -> CycleReport {
        let started = clock()
        var report = CycleReport()
        var cycle = try await database.beginCycle(at: started)
        report.cycleId = cycle.id ?? 0
        var failure: (any Error)?
        do {
            try await decideOpenFRs(&report, shouldStop: shouldStop)
        } catch {
            failure = error
        }
        if let error = failure as? FlxpointError, error.isAuthFailure {
            failure = AuthFailure(description: error.description)
            logger.error(
                "Flxpoint refused the token: nothing is sent until it is fixed; every answer is kept",
                metadata: ["error": "\(error.description)"])
            await alerts.raise(.authFailed, message: error.description)
        } else if report.paused {
            logger.notice(
                "paused: decisions are held and no answer is sent", metadata: ["pause.file": "\(settings.pauseFile)"])
        } else {
            do {
                let sending = ContinuousClock.now
                defer { report.phases.send = (ContinuousClock.now - sending).timeInterval }
                report.send = try await sender.sendPending(verify: report.verify, shouldStop: shouldStop)
                if let auth = report.send.authFailure { failure = AuthFailure(description: auth) }
                report.paused = report.send.paused
                if failure == nil, let sweep, !shouldStop() { report.readBack = try await sweep.run() }
            } catch {
                failure = failure ?? error
            }
        }
        cycle.fetched = report.fetched
        cycle.decided = report.decided
        cycle.sent = report.send.sent
        cycle.failed = report.send.failed
        cycle.withdrawn = report.withdrawn + report.send.withdrawn
        cycle.quarantined = report.quarantined
        cycle.guardTripped = report.guardTripped
        cycle.oldestHoldSince = report.holds.oldestSince
        cycle.holdsPastShipBy = report.holds.pastShipBy
        cycle.listedAt = report.listedAt
        cycle.error = failure.map { "\($0)" } ?? (report.guardTripped ? "guard: too many cancels held for review" : nil)
        let finished = clock()
        cycle.finishedAt = finished
        try? await database.finishCycle(cycle)
        metrics.cycle(succeeded: failure == nil, seconds: finished.timeIntervalSince(started))
        metrics.holds(report.holds, now: finished)
        await countPeoplesWork(now: finished)
        if let failure {
            if !(failure is AuthFailure) { await alerts.raise(.cycleFailed, message: "\(failure)") }
            throw failure
        }
        logger.info(
            "cycle finished",
            metadata: [
                "cycle.id": "\(report.cycleId)", "cycle.fetched": "\(report.fetched)",
                "cycle.decided": "\(report.decided)", "cycle.sent": "\(report.send.sent)",
                "cycle.failed": "\(report.send.failed)", "cycle.withdrawn": "\(cycle.withdrawn)",
                "poll.duration_ms": "\(Int(finished.timeIntervalSince(started) * 1000))",
                "poll.read_ms": "\(Int(report.phases.read * 1000))",
                "poll.decide_ms": "\(Int(report.phases.decide * 1000))",
                "poll.send_ms": "\(Int(report.phases.send * 1000))",
            ])
        return report
    }

    /// Reads every open FR once (an id listed twice counts once), quarantining the malformed.
    /// `complete` is false when the page bound or a stop request cut the listing short.
    private func poll(_ report: inout CycleReport, at now: Date, shouldStop: @Sendable () -> Bool) async throws
        -> (frs: [SeenFR], kept: [Int: (fr: FulfillmentRequest, rawJSON: String)]?, complete: Bool)
    {
        var frs: [SeenFR] = []
        // The FRs themselves while there are few; past `cycleFRsInMemory` they are read back in batches.
        var kept: [Int: (fr: FulfillmentRequest, rawJSON: String)]? = [:]
        var ids = Set<Int>()
        var pages = 0
        for try await page in api.fulfillmentRequestPages(FRQuery(pageSize: settings.pageSize)) {
            pages += 1
            var decoded: [(fr: FulfillmentRequest, rawJSON: String)] = []
            var repeated = 0
            for entry in page {
                switch entry.result {
                case .success(let fr):
                    guard ids.insert(fr.id).inserted else {
                        logger.warning(
                            "FR listed twice in one poll; it is decided once", metadata: ["fr.id": "\(fr.id)"])
                        repeated += 1
                        continue
                    }
                    decoded.append((fr, entry.rawJSON))
                    frs.append(SeenFR(fr))
                    kept?[fr.id] = (fr, entry.rawJSON)
                    if (kept?.count ?? 0) > settings.cycleFRsInMemory { kept = nil }
                    for field in fr.toleratedFields where tolerated.first(field) {
                        logger.warning(
                            "an FR field had an unexpected type and was read as absent (logged once per field)",
                            metadata: ["fr.id": "\(fr.id)", "fr.field": "\(field)"])
                    }
                case .failure(let failure):
                    try await quarantine(failure, at: now, report: &report)
                }
            }
            try await database.recordSeen(decoded, at: now)
            report.fetched += page.count - repeated
            if pages >= settings.maxPagesPerCycle {
                logger.warning(
                    "more open FRs than one cycle reads; the rest are read next cycle",
                    metadata: [
                        "poll.max_pages": "\(settings.maxPagesPerCycle)", "poll.page_size": "\(settings.pageSize)",
                    ])
                return (frs, kept, false)
            }
            if shouldStop() { return (frs, kept, false) }
        }
        return (frs, kept, true)
    }

    private func quarantine(_ failure: FRDecodeFailure, at now: Date, report: inout CycleReport) async throws {
        guard try await database.quarantine(failure, at: now) else { return }
        report.quarantined += 1
        metrics.quarantined()
        logger.error(
            "malformed FR quarantined; it is read again when it changes upstream",
            metadata: [
                "fr.id": "\(failure.frId.map(String.init) ?? "unknown")", "error": "\(failure.description)",
            ])
        await alerts.raise(.frQuarantined, frId: failure.frId, message: failure.description)
    }

    /// Withdraws unsent answers whose FR changed or closed upstream since it was decided. An
    /// answer already attempted is left to the sender, which reads the FR back first.
    private func withdrawStale(_ frs: [SeenFR], report: inout CycleReport) async throws {
        let pending = try await database.pendingAnswers(among: frs.map(\.id))
        for fr in frs {
            guard let answer = pending[fr.id], answer.attempts == 0 else { continue }
            let reason: String
            if fr.isClosedUpstream {
                reason = "FR is \(fr.status ?? "voided") upstream: no answer is sent"
            } else if let decided = answer.fingerprint, decided != fr.fingerprint {
                reason = "FR changed upstream after it was decided (items, quantities, address or ship-by)"
            } else {
                continue
            }
            if try await database.withdrawPending(
                frId: fr.id, reason: reason, backToPerson: !fr.isClosedUpstream, at: clock())
            {
                report.withdrawn += 1
                logger.notice("unsent answer withdrawn", metadata: ["fr.id": "\(fr.id)", "reason": "\(reason)"])
            }
        }
    }

    private func decideOpenFRs(_ report: inout CycleReport, shouldStop: @Sendable () -> Bool) async throws {
        let now = clock()
        await warnIfStockIsStale(now)
        let reading = ContinuousClock.now
        let (seen, kept, complete) = try await poll(&report, at: now, shouldStop: shouldStop)
        try await withdrawStale(seen, report: &report)
        let deciding = ContinuousClock.now
        report.phases.read = (deciding - reading).timeInterval
        defer { report.phases.decide = (ContinuousClock.now - deciding).timeInterval }
        if complete {
            report.verify = try await database.pendingAnswerFRIds().subtracting(seen.map(\.id))
            report.listedAt = now
        }
        let answered = try await database.answeredFRIds(among: seen.map(\.id))
        let open = seen.filter { !answered.contains($0.id) && !$0.isClosedUpstream }
        report.paused = isPaused
        let latest = try await database.latestOutcomes(for: open.map(\.id))
        // A person's keep-holding is final until its `--until`: the rules do not see those FRs.
        let candidates = SeenFR.oldestFirst(open.filter { latest[$0.id]?.heldByPerson(at: now) != true })
        guard !candidates.isEmpty else { return }
        let ids = candidates.map(\.id)
        let heldSince = try await database.firstHeld(among: ids)
        let ruleSet = await rules.current
        // The pool's ledger is read, decided against and written back while no other source
        // drawing on the pool does the same: otherwise both would promise the same free units.
        try await poolLock.withLock {
            // Decided and recorded a batch at a time (the stream's first pass settles the guard),
            // so memory holds the FRs and one batch of decisions, whatever the backlog.
            var stream = DecisionCycle.Stream(
                ruleSet: ruleSet, ledger: try await database.loadLedger(), now: now, heldSince: heldSince,
                paused: report.paused)
            let waiting = try await database.undecidedElsewhereInPool(
                seenSince: now.addingTimeInterval(-Self.poolWaitWindow), createdBy: candidates.last?.createdAt)
            if !waiting.isEmpty {
                var frs = try await poolLock.waitingFRs(waiting, for: database.source) {
                    try await database.waitingFRs($0)
                }
                // An FR asking only for SKUs none of this cycle's FRs wants changes nothing here.
                if let kept {
                    let skus = Set(kept.values.flatMap { $0.fr.items.compactMap(\.sku) })
                    frs.removeAll { fr in !fr.items.contains { $0.sku.map(skus.contains) ?? false } }
                }
                stream.giveWay(to: frs, pool: database.pool)
            }
            func frs(_ batch: ArraySlice<SeenFR>) async throws -> [FulfillmentRequest] {
                if let kept { return batch.compactMap { kept[$0.id]?.fr } }
                return try await database.seenFRs(ids: batch.map(\.id))
            }
            if stream.guardApplies(cycleSize: candidates.count) {
                for batch in candidates.chunked(Self.decisionsPerCommit) { stream.count(try await frs(batch)) }
            }
            stream.settleGuard(cycleSize: candidates.count)
            report.guardTripped = stream.guardTripped
            if report.guardTripped {
                metrics.guardTripped()
                let message = "this cycle would cancel too many FRs; the cancels are held for review"
                logger.error(
                    "guard tripped: \(message)",
                    metadata: [
                        "guard.max_cancel_share": "\(ruleSet.guards.maxCancelShare ?? 1)",
                        "cycle.size": "\(candidates.count)",
                    ])
                await alerts.raise(.guardTripped, message: "\(message) (\(candidates.count) FRs)")
            }
            // One commit per batch, not per decision: each commit waits for the disk.
            for batch in candidates.chunked(Self.decisionsPerCommit) {
                if shouldStop() { break }
                var writes: [DecisionWrite] = []
                for fr in try await frs(batch) {
                    let decision = stream.next(fr)
                    if decision.decision == .hold {
                        report.holds.record(
                            since: heldSince[decision.frId] ?? now, meetsShipBy: decision.facts.ship.meetsShipBy)
                        if !decision.facts.ship.meetsShipBy {
                            await alerts.raise(
                                .holdPastShipBy, frId: decision.frId, frNumber: decision.frNumber, rule: decision.rule,
                                message: "held and can no longer meet its ship-by day")
                        }
                        if let previous = latest[decision.frId], Self.sameOutcome(previous, decision) { continue }
                    }
                    writes.append(
                        DecisionWrite(
                            decision, outbox: AnswerBuilder.draft(for: decision),
                            input: DecisionInput(
                                frFingerprint: fr.answerFingerprint, frJSON: kept?[fr.id]?.rawJSON, frJSONAsSeen: true,
                                heldSince: heldSince[fr.id])))
                }
                let written = try await database.recordDecisions(writes, cycleId: report.cycleId, at: clock())
                for (write, written) in zip(writes, written) where written {
                    crash.reach("after-decision-commit")
                    await record(write.decision, &report)
                }
            }
        }
    }

    /// Another source's FR seen this recently and not decided yet keeps its units from this
    /// source's younger FRs: long enough for a cycle of 50,000 FRs, short enough that a source
    /// stopped between reading and deciding does not hold stock back for long.
    static let poolWaitWindow: TimeInterval = 15 * 60

    /// Decisions written in one transaction.
    static let decisionsPerCommit = 200

    private func record(_ decision: FRDecision, _ report: inout CycleReport) async {
        report.decided += 1
        report.decisions[decision.decision.rawValue, default: 0] += 1
        metrics.decided(decision: decision.decision.rawValue, rule: decision.rule)
        logger.info(
            "decided",
            metadata: [
                "fr.id": "\(decision.frId)", "decision": "\(decision.decision.rawValue)", "rule": "\(decision.rule)",
            ])
        if let note = decision.trace.notes.first(where: { $0.hasPrefix("escalated:") }) {
            metrics.escalated(rule: decision.rule)
            await alerts.raise(
                .holdEscalated, frId: decision.frId, frNumber: decision.frNumber, rule: decision.rule,
                message: "\(decision.decision.rawValue): \(note)")
        }
    }

    /// The holds waiting for a person, by age, and the decisions people took: exported, and
    /// alerted on when a hold has waited longer than `holdAlertAfter`.
    private func countPeoplesWork(now: Date) async {
        guard let since = try? await database.openHoldsSince(),
            let byPerson = try? await database.manualDecisionsByPerson()
        else { return }
        let ages = HoldAges(heldSince: since, now: now)
        metrics.people(holds: ages, manualByPerson: byPerson)
        guard let oldest = ages.oldestSince, now.timeIntervalSince(oldest) > settings.holdAlertAfter.timeInterval
        else { return }
        var message =
            "\(ages.total) FRs wait for a person (\(ages.text)); the oldest since \(Timestamp.utcString(oldest))"
        if !byPerson.isEmpty {
            message +=
                "; decisions by people so far: "
                + byPerson.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        await alerts.raise(.holdsWaiting, message: message)
    }

    private func warnIfStockIsStale(_ now: Date) async {
        let last = try? await database.lastStockImport()
        let maxAge = settings.stockMaxAge.timeInterval
        if let last, now.timeIntervalSince(last) <= maxAge { return }
        let shown = last.map(Timestamp.utcString) ?? "never"
        logger.warning(
            "stock is stale: decisions are only as right as the stock they use; run 'source-agent stock import'",
            metadata: ["stock.last_import": "\(shown)"])
        await alerts.raise(.stockStale, message: "stock last imported \(shown)")
    }

    static func sameOutcome(_ previous: LoggedOutcome, _ decision: FRDecision) -> Bool {
        previous.decision == decision.decision.rawValue && previous.rule == decision.rule
            && previous.reason == decision.reason?.rawValue && previous.note == decision.note
    }
}

extension PollService.HoldSummary {
    mutating func record(since: Date, meetsShipBy: Bool) {
        open += 1
        oldestSince = min(oldestSince ?? since, since)
        if !meetsShipBy { pastShipBy += 1 }
    }
}

/// What a cycle keeps of each open FR while it reads the list: enough to withdraw stale
/// answers and to order the backlog. The FRs themselves are read back from the database a
/// batch at a time when they are decided, so memory does not grow with the backlog.
struct SeenFR: Sendable {
    let id: Int
    let createdAt: Date?
    let status: String?
    let isClosedUpstream: Bool
    let fingerprint: String

    init(_ fr: FulfillmentRequest) {
        id = fr.id
        createdAt = fr.createdAt
        status = fr.status
        isClosedUpstream = fr.isClosedUpstream
        fingerprint = fr.answerFingerprint
    }

    /// The order `Decider.oldestFirst` gives the FRs themselves.
    static func oldestFirst(_ frs: [SeenFR]) -> [SeenFR] {
        frs.sorted { a, b in Decider.precedes((a.createdAt, a.id), (b.createdAt, b.id)) }
    }
}

/// Remembers keys already reported, so a recurring oddity is logged once per process.
final class OncePerKey: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// True the first time `key` is seen.
    func first(_ key: String) -> Bool { seen.withLock { $0.insert(key).inserted } }
}
