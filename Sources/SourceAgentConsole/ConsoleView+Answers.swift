import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The answers page: failed, pending and withdrawn answers.
extension ConsoleView {
    /// Answers shown per state on the answers page.
    static let answersPerState = 200

    /// The answers page's lists.
    struct Answers: Sendable {
        var failed: [Answer] = []
        var pending: [Answer] = []
        var withdrawn: [Answer] = []
        var failedCount = ""
        var pendingCount = ""
        var withdrawnCount = ""

        /// One answer.
        struct Answer: Sendable {
            var frId: Int
            var name: String
            var decision: String
            var rule: String
            var kind: String
            var attempts: Int
            var error: String
            var outcome: String
            var next: String
            var updated: String
        }
    }

    /// Failed, pending and withdrawn answers, each with its last error and next try.
    func answers(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws -> Shown {
        let zone = await source.rules.current.calendar.timeZone
        var page = Answers()
        for state in [OutboxRecord.State.failed, .pending, .withdrawn] {
            let listed = try await source.database.answers(state: state, limit: Self.answersPerState)
            let rows = listed.map { answer in
                Answers.Answer(
                    frId: answer.frId, name: answer.frNumber ?? "#\(answer.frId)", decision: answer.decision.rawValue,
                    rule: answer.rule, kind: answer.kind.rawValue, attempts: answer.attempts,
                    error: answer.lastError ?? "",
                    outcome: answer.outcome ?? "",
                    next: answer.nextAttemptAt.map { $0 <= now ? "now" : Self.localTime($0, zone: zone) } ?? "now",
                    updated: Self.localTime(answer.updatedAt, zone: zone))
            }
            let count = "\(listed.count)\(listed.count == Self.answersPerState ? "+" : "")"
            switch state {
            case .failed: (page.failed, page.failedCount) = (rows, count)
            case .pending: (page.pending, page.pendingCount) = (rows, count)
            default: (page.withdrawn, page.withdrawnCount) = (rows, count)
            }
        }
        let title = sources.count > 1 ? "Answers: \(source.name)" : "Answers"
        return Shown(.answers, frame(title: title, person: person, source: source), page)
    }
}
