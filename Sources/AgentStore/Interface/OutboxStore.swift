import Foundation

/// The outbox: answers decided and not yet confirmed by Flxpoint, and their history.
public protocol OutboxStore: Sendable {
    /// The ids of the answers due now (pending, and past any back-off), among `frIds` when
    /// given, at most `limit`, in the order that loses least by waiting under Flxpoint's 2
    /// requests a second: answers waiting longer than `longestWait`, oldest first; then cancels
    /// (an early cancel lets Flxpoint route the order to another source); then the nearest
    /// ship-by day (as Flxpoint wrote it: `dueDate`, `shipByDate` or `requiredShipDate`), FRs
    /// without one last; then oldest first. A backlog is ordered once and its rows loaded a
    /// page at a time, so sending 20,000 answers does not hold 20,000 rows.
    func dueOutboxIds(at now: Date, limit: Int, frIds: Set<Int>?) async throws -> [Int64]
    /// These answers, each with the fingerprint of the FR as it was decided, in the order
    /// given; one that is no longer pending is left out.
    func dueAnswers(ids: [Int64]) async throws -> [DueAnswer]
    /// Answers still to send, due or backing off.
    func pendingOutboxCount() async throws -> Int
    /// Counts several sends before they start, in one commit: a row with an attempt is read
    /// back before any resend.
    func markAttempts(_ ids: [Int64], at now: Date) async throws
    /// Sends counted by `markAttempts` that never started (the pause or a stop came first):
    /// they are as they were, so no read-back is spent on them.
    func unmarkAttempts(_ ids: [Int64], at now: Date) async throws
    /// Confirmed answers (or ones Flxpoint already had), in one commit.
    func markDone(_ done: [(id: Int64, outcome: String)], at now: Date) async throws
    /// A send failed for now: it stays pending and is not tried again before `retryAt`.
    func recordSendError(_ id: Int64, error: String, retryAt: Date?, at now: Date) async throws
    /// Flxpoint refused the answer for good (or it cannot be built): mark it failed and
    /// release its reservations together.
    func markFailed(_ id: Int64, reason: String, at now: Date) async throws
    /// Withdraws the FR's unsent answer: the outbox row turns `withdrawn`, the decision is
    /// marked withdrawn (so the FR may be decided again) and its reservations are released,
    /// all in one transaction. Returns false when the FR had no pending answer. `backToPerson`:
    /// the FR is still open (it changed), so a person's withdrawn answer returns to the hold queue.
    @discardableResult
    func withdrawPending(frId: Int, reason: String, backToPerson: Bool, at now: Date) async throws -> Bool
    /// `answers retry`: failed answers of the given FRs (ids or numbers; all failed ones when
    /// nil) are withdrawn so the rules decide those FRs again next cycle. Returns their FR ids.
    func retryFailed(_ keys: [String]?, at now: Date) async throws -> [Int]
    /// The pending answers among `frIds`, with the fingerprint of the FR they answer.
    func pendingAnswers(among frIds: [Int]) async throws -> [Int: (fingerprint: String?, attempts: Int)]
    /// FR ids of every pending answer.
    func pendingAnswerFRIds() async throws -> Set<Int>
    /// Answers in a state (all when nil), newest first, with their FR and decision.
    func answers(state: OutboxRecord.State?, limit: Int) async throws -> [AnswerListing]
    /// The numbers of the given FRs, where known.
    func frNumbers(_ ids: [Int]) async throws -> Set<String>
    /// Every answer for one FR, oldest first: more than one when earlier ones were withdrawn.
    func answers(forFR frId: Int) async throws -> [OutboxRecord]
    /// Every outbox row, for checks and reports.
    func outbox() async throws -> [OutboxRecord]
}

extension OutboxStore {
    /// Answers due now, in `dueOutboxIds`' order, at most `limit`.
    public func dueOutbox(at now: Date, limit: Int = 10_000) async throws -> [DueAnswer] {
        try await dueAnswers(ids: dueOutboxIds(at: now, limit: limit, frIds: nil))
    }

    /// Counts one send before it starts.
    public func markAttempt(_ id: Int64, at now: Date) async throws { try await markAttempts([id], at: now) }

    /// Flxpoint confirmed one answer (or already had it).
    public func markDone(_ id: Int64, outcome: String, at now: Date) async throws {
        try await markDone([(id: id, outcome: outcome)], at: now)
    }
}
