import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The answers page: failed, pending and withdrawn answers.
extension ConsoleView {
    /// Answers shown per state on the answers page.
    static let answersPerState = 200

    /// Failed, pending and withdrawn answers, each with its last error and next try.
    func answers(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws
        -> [String: Any]
    {
        let zone = await source.rules.current.calendar.timeZone
        var context = base(
            title: sources.count > 1 ? "Answers: \(source.name)" : "Answers", person: person, source: source)
        for state in [OutboxRecord.State.failed, .pending, .withdrawn] {
            let listed = try await source.database.answers(state: state, limit: Self.answersPerState)
            context[state.rawValue] = listed.map { answer -> [String: Any] in
                [
                    "frId": answer.frId, "name": answer.frNumber ?? "#\(answer.frId)", "decision": answer.decision,
                    "rule": answer.rule, "kind": answer.kind, "attempts": answer.attempts,
                    "error": answer.lastError ?? "", "outcome": answer.outcome ?? "",
                    "next": answer.nextAttemptAt.map { $0 <= now ? "now" : Self.localTime($0, zone: zone) } ?? "now",
                    "updated": Self.localTime(answer.updatedAt, zone: zone),
                ]
            }
            context[state.rawValue + "Count"] =
                "\(listed.count)\(listed.count == Self.answersPerState ? "+" : "")"
        }
        return context
    }
}
