// Cycle: one poll cycle in order: read, quarantine, withdraw stale answers, decide, record, send, read back,
// after-cycle work.

import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

// The room where the agent's work happens. `Cycle` is the only place that spells out the
// order of a cycle; each step is its own small type beside it (`FRReader`, `StaleAnswers`,
// `CycleDecisions`, `OutboxSender`, `ReadBackSweep`, `AfterCycle`, `CycleWatch`).

/// One cycle of one source, in this order: read the open FRs (quarantining the malformed),
/// withdraw stale answers, decide and record, send, read back, then the work after the cycle
/// (tracking inbox, inventory push) and the alerts on people's work. `run`, `run --once`,
/// `demo` and the console's wake all run it; nothing else orders these steps.
public struct Cycle: Sendable {
    let database: any SourceStore
    let rules: RuleSource
    let sender: OutboxSender
    let sweep: ReadBackSweep?
    let after: AfterCycle?
    let health: HealthState?
    let settings: AgentSettings
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics
    let clock: @Sendable () -> Date
    let reader: FRReader
    let stale: StaleAnswers
    let decisions: CycleDecisions
    let watch: CycleWatch

    public init(
        database: any SourceStore, api: any FlxpointSourceAPI, rules: RuleSource, sender: OutboxSender,
        sweep: ReadBackSweep? = nil, after: AfterCycle? = nil, health: HealthState? = nil, settings: AgentSettings,
        alerts: Alerts = .off, logger: Logger, metrics: AgentMetrics = AgentMetrics(),
        crash: CrashPoints = CrashPoints(), poolLock: PoolLock? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.rules = rules
        self.sender = sender
        self.sweep = sweep
        self.after = after
        self.health = health
        self.settings = settings
        self.alerts = alerts
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        reader = FRReader(
            database: database, api: api, settings: settings, alerts: alerts, logger: logger, metrics: metrics)
        stale = StaleAnswers(database: database, logger: logger, clock: clock)
        decisions = CycleDecisions(
            database: database, rules: rules, poolLock: poolLock ?? PoolLock(pool: database.pool), alerts: alerts,
            logger: logger, metrics: metrics, crash: crash, clock: clock)
        watch = CycleWatch(database: database, settings: settings, alerts: alerts, logger: logger, metrics: metrics)
    }

    public var isPaused: Bool { settings.isPaused }
    /// Time between cycles.
    public var interval: Duration { settings.interval }
    /// The source the cycle is for.
    public var source: String { database.source }

    /// Runs one cycle. The answers due are sent even when reading or deciding failed, and the
    /// work after the cycle runs whatever happened. A failure is recorded on the cycle row and
    /// rethrown at the end; nothing decided before it is lost. A refused token stops all
    /// sending and throws `CycleReport.AuthFailure`.
    @discardableResult
    public func run(shouldStop: @escaping @Sendable () -> Bool = { false }) async throws -> CycleReport {
        // The fleet's rules in force, looked at before anything is decided: a version applied
        // on any machine decides this cycle. Two looks in a row that could not load it alert.
        let behind = await rules.refresh(logger: logger)
        metrics.rules(outOfDate: behind > 0)
        if behind >= 2, let problem = await rules.problem {
            await alerts.raise(.rulesOutOfDate, message: "this process decides by an older rule version: \(problem)")
        }
        let started = clock()
        var report = CycleReport()
        var row = try await database.beginCycle(at: started)
        report.cycleId = row.id ?? 0
        var failure: (any Error)?
        do {
            try await readAndDecide(&report, shouldStop: shouldStop)
        } catch {
            failure = error
        }
        failure = await send(&report, after: failure, shouldStop: shouldStop)
        if failure == nil {
            // Promises from stock on its way that a new inbound file moved past their ship-by.
            do {
                let slipped = try await InboundWatch.alert(
                    database, alerts: alerts, calendar: await rules.current.calendar, now: clock())
                report.inboundSlipped = slipped.count
            } catch {
                logger.error("could not check stock on its way", metadata: ["error": "\(error)"])
            }
        }
        let finished = clock()
        row.record(report, failure: failure, finishedAt: finished)
        try? await database.finishCycle(row)
        metrics.cycle(succeeded: failure == nil, seconds: finished.timeIntervalSince(started))
        metrics.holds(report.holds, now: finished)
        await watch.countPeoplesWork(now: finished)
        await health?.record(finishedAt: finished, error: failure)
        if let after { report.after = await after.run(shouldStop: shouldStop) }
        if let failure {
            if !(failure is CycleReport.AuthFailure) { await alerts.raise(.cycleFailed, message: "\(failure)") }
            throw failure
        }
        log(report, cycle: row, took: finished.timeIntervalSince(started))
        return report
    }

    /// Read, quarantine, withdraw stale answers, then decide and record.
    private func readAndDecide(_ report: inout CycleReport, shouldStop: @escaping @Sendable () -> Bool) async throws {
        let now = clock()
        await watch.warnIfStockIsStale(now)
        let reading = ContinuousClock.now
        let read = try await reader.read(&report, at: now, shouldStop: shouldStop)
        try await stale.withdraw(among: read.frs, report: &report)
        let deciding = ContinuousClock.now
        report.phases.read = (deciding - reading).timeInterval
        defer { report.phases.decide = (ContinuousClock.now - deciding).timeInterval }
        if read.complete {
            report.verify = try await database.pendingAnswerFRIds().subtracting(read.frs.map(\.id))
            report.listedAt = now
        }
        report.paused = isPaused
        try await decisions.decide(read, at: now, paused: report.paused, report: &report, shouldStop: shouldStop)
    }

    /// Sends what is due and reads back, unless the token was refused or the agent is paused;
    /// returns the cycle's failure, the earlier one first.
    private func send(_ report: inout CycleReport, after failure: (any Error)?, shouldStop: @Sendable () -> Bool)
        async -> (any Error)?
    {
        if let error = failure as? FlxpointError, error.isAuthFailure {
            logger.error(
                "Flxpoint refused the token: nothing is sent until it is fixed; every answer is kept",
                metadata: ["error": "\(error.description)"])
            await alerts.raise(.authFailed, message: error.description)
            return CycleReport.AuthFailure(description: error.description)
        }
        if report.paused {
            logger.notice(
                "paused: decisions are held and no answer is sent", metadata: ["pause.file": "\(settings.pauseFile)"])
            return failure
        }
        var failure = failure
        do {
            let sending = ContinuousClock.now
            defer { report.phases.send = (ContinuousClock.now - sending).timeInterval }
            report.send = try await sender.sendPending(verify: report.verify, shouldStop: shouldStop)
            if let auth = report.send.authFailure { failure = CycleReport.AuthFailure(description: auth) }
            report.paused = report.send.paused
            if failure == nil, let sweep, !shouldStop() { report.readBack = try await sweep.run() }
        } catch {
            failure = failure ?? error
        }
        return failure
    }

    private func log(_ report: CycleReport, cycle: CycleRecord, took seconds: TimeInterval) {
        logger.info(
            "cycle finished",
            metadata: [
                "cycle.id": "\(report.cycleId)", "cycle.fetched": "\(report.fetched)",
                "cycle.decided": "\(report.decided)", "cycle.sent": "\(report.send.sent)",
                "cycle.failed": "\(report.send.failed)", "cycle.withdrawn": "\(cycle.withdrawn)",
                "poll.duration_ms": "\(Int(seconds * 1000))",
                "poll.read_ms": "\(Int(report.phases.read * 1000))",
                "poll.decide_ms": "\(Int(report.phases.decide * 1000))",
                "poll.send_ms": "\(Int(report.phases.send * 1000))",
            ])
    }
}

extension CycleRecord {
    /// The cycle row as the cycle ended.
    mutating func record(_ report: CycleReport, failure: (any Error)?, finishedAt: Date) {
        fetched = report.fetched
        decided = report.decided
        sent = report.send.sent
        failed = report.send.failed
        withdrawn = report.withdrawn + report.send.withdrawn
        quarantined = report.quarantined
        guardTripped = report.guardTripped
        oldestHoldSince = report.holds.oldestSince
        holdsPastShipBy = report.holds.pastShipBy
        listedAt = report.listedAt
        error = failure.map { "\($0)" } ?? (report.guardTripped ? "guard: too many cancels held for review" : nil)
        self.finishedAt = finishedAt
    }
}
