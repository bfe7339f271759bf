import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore

/// `source-agent answers list|retry`: the outbox, and a way back for refused answers.
struct AnswersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers", abstract: "List the answers the agent sends, and retry refused ones.",
        subcommands: [AnswersListCommand.self, AnswersRetryCommand.self])
}

/// `answers list`: answers by state.
struct AnswersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Answers newest first: FR, decision, state, attempts, next try, last error.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    @Option(help: "Only answers in this state: pending, done, failed or withdrawn.")
    var state: OutboxRecord.State?

    @Option(help: "table or json.")
    var format: Format = .table

    @Option(help: "At most this many answers.")
    var limit = 1000

    func validate() throws {
        if !(1...1_000_000).contains(limit) { throw ValidationError("--limit must be from 1 to 1000000, got \(limit)") }
    }

    /// How the list is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() async throws {
        let db = try await source.scope(database.existing(forReading: true))
        let answers = try await db.answers(state: state, limit: limit)
        switch format {
        case .json:
            Terminal.out(String(decoding: try StableJSON.encoder().encode(answers), as: UTF8.self))
        case .table:
            guard !answers.isEmpty else {
                Terminal.out("no answers\(state.map { " in state \($0.rawValue)" } ?? "")")
                return
            }
            Terminal.out(Self.table(answers))
        }
    }

    static func table(_ answers: [AnswerListing]) -> String {
        let rows = answers.map { answer in
            [
                answer.frNumber ?? "#\(answer.frId)", answer.decision.rawValue, answer.state.rawValue,
                String(answer.attempts),
                answer.nextAttemptAt.map(Timestamp.utcString) ?? "-",
                (answer.lastError ?? answer.outcome ?? "").replacingOccurrences(of: "\n", with: " "),
            ]
        }
        let header = ["FR", "DECISION", "STATE", "TRIES", "NEXT TRY", "LAST ERROR / OUTCOME"]
        return TextTable.render(header: header, rows: rows)
    }
}

extension OutboxRecord.State: ExpressibleByArgument {}

/// `answers retry`: failed answers decided again.
struct AnswersRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Decide FRs whose answer failed again on the next cycle (the failed answer is withdrawn).",
        discussion: """
            Works while the agent runs: it picks the FRs up on its next cycle, if they are still open in Flxpoint.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    @Argument(help: ArgumentHelp("FR ids or numbers whose failed answer to retry.", valueName: "fr"))
    var frs: [String] = []

    @Flag(name: .customLong("all-failed"), help: "Retry every failed answer.")
    var allFailed = false

    func validate() throws {
        if frs.isEmpty == !allFailed { throw ValidationError("name FRs, or pass --all-failed (not both)") }
    }

    func run() async throws {
        let db = try await source.scope(database.existing())
        let retried = try await db.retryFailed(allFailed ? nil : frs, at: AgentClock.now())
        if !allFailed {
            let named = Set(retried.map(String.init))
            let numbers = try await db.frNumbers(retried)
            let missing = frs.filter { !named.contains($0) && !numbers.contains($0) }
            if !missing.isEmpty {
                Terminal.err("no failed answer for: \(missing.joined(separator: ", "))")
                if retried.isEmpty { throw Exit.badInput }
            }
        }
        Terminal.out(
            "\(retried.count) FR\(retried.count == 1 ? "" : "s") will be decided again on the next cycle")
    }
}
