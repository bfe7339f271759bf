import AgentStore
import Foundation
import FulfillmentCore

/// An FR's history in words: every decision stored for it, with its answer's life and full
/// trace. `explain` prints it; the console's FR page shows the same text.
public enum DecisionHistory {
    /// Every stored decision for FR `key` (id or number) with its answer's life and full
    /// trace, oldest first; nil when there is none. The web console's search shows the same.
    public static func text(_ key: String, db: any SourceStore, zone: TimeZone) async throws -> String? {
        let rows = try await db.decisions(forFR: key)
        guard !rows.isEmpty else { return nil }
        let answers = try await db.answers(forFR: rows[0].frId)
        var out: [String] = []
        var versions: [String: RuleVersion] = [:]
        for (index, row) in rows.enumerated() {
            let decision = try await db.fullDecision(row)
            var header =
                "── decision \(index + 1) of \(rows.count) · decided \(Timestamp.string(row.decidedAt, in: zone))"
            header += " · rules sha256 \(row.rulesSHA256.prefix(12))"
            if versions[row.rulesSHA256] == nil {
                versions[row.rulesSHA256] = try await db.ruleVersion(sha256: row.rulesSHA256)
            }
            if let id = versions[row.rulesSHA256]?.id { header += " (version #\(id))" }
            if let withdrawn = row.withdrawnAt { header += " · withdrawn \(Timestamp.string(withdrawn, in: zone))" }
            out.append(header)
            if let answer = answers.first(where: { $0.decisionId == row.id }) {
                out.append(life(of: answer, zone: zone))
            } else if row.decision == .hold {
                out.append(
                    "no answer: held\(row.heldSince.map { ", first held \(Timestamp.string($0, in: zone))" } ?? "")")
            }
            out.append(DecisionText.explain(decision, zone: zone))
        }
        return out.joined(separator: "\n")
    }

    /// One line for an answer's life: sent, waiting, failed or withdrawn, with when and why.
    public static func life(of answer: OutboxRecord, zone: TimeZone) -> String {
        var line = "answer \(answer.kind.rawValue): \(answer.state.rawValue)"
        line += " · queued \(Timestamp.string(answer.createdAt, in: zone))"
        line += " · \(answer.attempts) attempt\(answer.attempts == 1 ? "" : "s")"
        switch answer.state {
        case .pending:
            if let next = answer.nextAttemptAt { line += " · next try \(Timestamp.string(next, in: zone))" }
        case .done, .failed, .withdrawn:
            line += " · \(answer.state.rawValue) \(Timestamp.string(answer.updatedAt, in: zone))"
        }
        if let outcome = answer.outcome { line += " (\(outcome))" }
        if let error = answer.lastError { line += " (\(error))" }
        return line
    }
}
