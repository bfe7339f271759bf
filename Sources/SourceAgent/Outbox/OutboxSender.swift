// Outbox: sending recorded answers to Flxpoint, at most once per FR.

import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Sends the answers that are due, oldest first, and records what Flxpoint said.
///
/// Each send is counted in the database before it starts. A row with an earlier attempt
/// may already have reached Flxpoint (a crash, a lost reply), so it is first checked by
/// reading the FR back; only an FR that shows no answer is sent again. Each row backs off on
/// its own, so one that keeps failing never holds up the rest.
public struct OutboxSender: Sendable {
    let database: any SourceStore
    let api: any FlxpointSourceAPI
    let settings: AgentSettings?
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics
    let crash: CrashPoints
    let clock: @Sendable () -> Date
    /// Answers in flight at once. One is enough under Flxpoint's 2 requests/s; without a
    /// limit, a few at once keep both ends busy instead of waiting on each round trip.
    let concurrency: Int

    public init(
        database: any SourceStore, api: any FlxpointSourceAPI, settings: AgentSettings? = nil, alerts: Alerts = .off,
        logger: Logger, metrics: AgentMetrics = AgentMetrics(), crash: CrashPoints = CrashPoints(),
        concurrency: Int = 1, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.concurrency = max(1, concurrency)
        self.database = database
        self.api = api
        self.settings = settings
        self.alerts = alerts
        self.logger = logger
        self.metrics = metrics
        self.crash = crash
        self.clock = clock
    }

    /// What one send pass did: sent, failed, withdrawn, left for later.
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var withdrawn = 0
        /// Left for later: backing off, stopped, paused, or Flxpoint unreachable.
        public var deferred = 0
        /// The pause file appeared during the send.
        public var paused = false
        /// Flxpoint refused the token (401/403): sending stopped, every answer kept.
        public var authFailure: String?
    }

    /// Consecutive rows failing for reasons outside the row (5xx, time-outs) before the rest
    /// are left for the next cycle: Flxpoint is down, not the row.
    static let unreachableAfter = 3

    /// Due answers loaded from the database at a time.
    static let pageSize = 256

    /// Sends until nothing is due, `shouldStop` says so, the pause file appears, the token is
    /// refused, or Flxpoint cannot be reached. `verify`: FRs to read back before sending
    /// because they left the open list after they were decided; `only`: send just these FRs' answers.
    ///
    /// Answers go in groups of up to `concurrency`, in `dueOutbox` order: the group's attempts are
    /// counted in one commit, its requests run together (each checking the pause first), and
    /// its confirmations are recorded in one commit. An answer tried before, or to verify,
    /// goes alone through the read-back.
    public func sendPending(
        verify: Set<Int> = [], only: Set<Int>? = nil, shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> Report {
        var report = Report()
        // Ordered once; loaded a page at a time.
        let ids = try await database.dueOutboxIds(at: clock(), limit: 10_000, frIds: only)
        var loadedUpTo = 0
        var due: [DueAnswer] = []
        var unreachable = 0
        var next = 0
        // Like TCP's slow start: one request first, then twice as many per group up to
        // `concurrency` while all goes well, and back to one after any trouble, so a refused
        // token or an outage is met by one request, not a volley.
        var width = 1
        while true {
            if next == due.count {
                guard loadedUpTo < ids.count else { break }
                let page = Array(ids[loadedUpTo..<min(loadedUpTo + Self.pageSize, ids.count)])
                loadedUpTo += page.count
                due = try await database.dueAnswers(ids: page)
                next = 0
                continue
            }
            let remaining = due.count - next + ids.count - loadedUpTo
            if shouldStop() || settings?.isPaused == true {
                report.paused = !shouldStop()
                report.deferred += remaining
                break
            }
            let group = due[next..<min(next + width, due.count)]
            next = group.endIndex
            var halt = false
            let results = try await sendGroup(group, verify: verify, shouldStop: shouldStop)
            let clean = results.allSatisfy { if case .outcome(.sent) = $0 { true } else { false } }
            width = clean ? min(concurrency, width * 2) : 1
            for result in results {
                switch result {
                case .outcome(.sent):
                    report.sent += 1
                    unreachable = 0
                case .outcome(.failed):
                    report.failed += 1
                    unreachable = 0
                case .outcome(.withdrawn):
                    report.withdrawn += 1
                    unreachable = 0
                case .outcome(.later):
                    report.deferred += 1
                    unreachable = 0
                case .notStarted:
                    report.deferred += 1
                    if !shouldStop() { report.paused = true }
                    halt = true
                case .unreachable:
                    report.deferred += 1
                    unreachable += 1
                    if unreachable >= Self.unreachableAfter { halt = true }
                case .authFailure(let description):
                    report.deferred += 1
                    if report.authFailure == nil {
                        report.authFailure = description
                        logger.error(
                            "Flxpoint refused the token: sending stopped, every answer kept for when it is fixed",
                            metadata: ["error": "\(description)"])
                        await alerts.raise(.authFailed, message: description)
                    }
                    halt = true
                }
            }
            if halt {
                report.deferred += remaining - group.count
                break
            }
        }
        metrics.outboxBacklog(try await database.pendingOutboxCount())
        return report
    }

    /// What became of one answer of a group.
    private enum GroupResult {
        case outcome(Outcome)
        /// The pause or a stop came before its request: it is as it was.
        case notStarted
        /// 5xx or transport: backing off.
        case unreachable
        case authFailure(String)
    }

    /// One started request of a group: its index in the group and what Flxpoint said.
    private struct RequestResult: Sendable {
        var index: Int
        var result: Result<WriteOutcome, any Error>
    }

    private func sendGroup(_ group: ArraySlice<DueAnswer>, verify: Set<Int>, shouldStop: @Sendable () -> Bool)
        async throws -> [GroupResult]
    {
        var results: [Int: GroupResult] = [:]
        var plain: [(index: Int, answer: DueAnswer, id: Int64, body: AdjustRequest?)] = []
        for (index, answer) in zip(group.indices, group) {
            let row = answer.record
            guard let id = row.id else {
                results[index] = .outcome(.later)
                continue
            }
            let body: AdjustRequest?
            do {
                body = row.kind == .adjust ? try AnswerBuilder.adjustBody(row) : nil
            } catch {
                results[index] = .outcome(
                    try await fail(answer, reason: "the answer cannot be built: \(error)", meta: Self.meta(row)))
                continue
            }
            if row.attempts > 0 || verify.contains(row.frId) {
                results[index] = try await guarded(answer) { try await sendAfterReadBack(answer, body: body) }
            } else {
                plain.append((index, answer, id, body))
            }
        }
        try await database.markAttempts(plain.map(\.id), at: clock())
        // Each started request's result by its index in the group; a missing index never started.
        // (A task result of `(Int, Result<WriteOutcome, any Error>?)` came back from the group
        // with a garbage index in Swift 6.3.1's release builds, so a confirmed answer looked
        // unsent and was sent again: the child's result is a plain struct now.)
        let requests = try await withThrowingTaskGroup(of: RequestResult.self) { tasks in
            var stopped = false
            for item in plain {
                // The requests of a group start together: the pause is checked just before each.
                stopped = stopped || shouldStop() || settings?.isPaused == true
                if stopped { continue }
                let (index, frId, body) = (item.index, item.answer.record.frId, item.body)
                tasks.addTask { [api, crash] in
                    crash.reach("before-send")
                    do {
                        if let body {
                            return RequestResult(index: index, result: .success(try await api.adjust(frId: frId, body)))
                        }
                        return RequestResult(index: index, result: .success(try await api.acknowledge(frId: frId)))
                    } catch {
                        return RequestResult(index: index, result: .failure(error))
                    }
                }
            }
            var out: [Int: Result<WriteOutcome, any Error>] = [:]
            for try await request in tasks { out[request.index] = request.result }
            return out
        }
        var done: [(id: Int64, outcome: String)] = []
        var notStarted: [Int64] = []
        for item in plain {
            switch requests[item.index] {
            case nil:
                notStarted.append(item.id)
                results[item.index] = .notStarted
            case .success(let outcome)?:
                crash.reach("after-send")
                done.append((item.id, "\(outcome)"))
                results[item.index] = .outcome(.sent)
            case .failure(let error)?:
                results[item.index] = try await guarded(item.answer) {
                    if let error = error as? FlxpointError, error.isPermanentRefusal {
                        return try await explainRefusal(
                            item.answer, body: item.body, error: error, meta: Self.meta(item.answer.record))
                    }
                    throw error
                }
            }
        }
        try await database.markDone(done, at: clock())
        try await database.unmarkAttempts(notStarted, at: clock())
        for item in plain {
            guard case .outcome(.sent)? = results[item.index],
                let outcome = done.first(where: { $0.id == item.id })?.outcome
            else { continue }
            metrics.answer(outcome: outcome)
            var meta = Self.meta(item.answer.record)
            meta["answer.outcome"] = "\(outcome)"
            logger.info("answer sent", metadata: meta)
        }
        return group.indices.map { results[$0] ?? .outcome(.later) }
    }

    /// Runs one answer's step, turning Flxpoint's refusals of the token and its outages into
    /// results; other errors (the database) end the send.
    private func guarded(_ answer: DueAnswer, _ step: () async throws -> Outcome) async throws -> GroupResult {
        do {
            return .outcome(try await step())
        } catch let error as FlxpointError where error.isAuthFailure {
            return .authFailure(error.description)
        } catch let error as FlxpointError {
            try await backOff(answer.record, because: error.description)
            return .unreachable
        }
    }

    static func meta(_ row: OutboxRecord) -> Logger.Metadata {
        ["fr.id": "\(row.frId)", "answer.kind": "\(row.kind.rawValue)"]
    }

    /// How one answer's send ended.
    enum Outcome { case sent, failed, withdrawn, later }

}
