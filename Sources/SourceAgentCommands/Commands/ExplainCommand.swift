import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore

/// `source-agent explain FR`: the stored decisions for an FR, with the full trace.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why an FR got its decision(s): every rule tried, the values compared, the facts and stock used."
    )

    @Argument(help: ArgumentHelp("FR id or number.", valueName: "fr"))
    var fr: String

    @OptionGroup var database: DatabaseOption

    @OptionGroup var rules: RulesOption

    func run() async throws {
        let db = try InputFiles.existingDatabase(database.db)
        let rows = try await db.decisions(forFR: fr)
        guard !rows.isEmpty else {
            Terminal.err("no decision stored for FR \(fr) in \(database.db)")
            throw Exit.failure
        }
        // Times read best in the warehouse zone; without a readable rule file they show in UTC.
        let ruleText = try? String(contentsOfFile: rules.rules, encoding: .utf8)
        let zone =
            ruleText.flatMap { RuleSet.load(contents: $0, path: rules.rules).ruleSet?.calendar.timeZone }
            ?? TimeZone(identifier: "UTC")!
        let answers = try await db.outbox()
        for row in rows {
            let decision = try await db.fullDecision(row)
            var header =
                "decided \(Timestamp.string(row.decidedAt, in: zone)) · rules sha256 \(row.rulesSHA256.prefix(12))"
            if let answer = answers.first(where: { $0.decisionId == row.id }) {
                header += " · answer \(answer.kind.rawValue): \(answer.state.rawValue)"
                if let error = answer.lastError { header += " (\(error))" }
            }
            Terminal.out(header)
            Terminal.out(DecisionText.explain(decision, zone: zone))
        }
    }
}
