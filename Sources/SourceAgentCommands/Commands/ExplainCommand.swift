import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent explain FR`: the stored decisions for an FR, with the full trace.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why an FR got its decision(s): every rule tried, the values compared, the facts and stock used."
    )

    @Argument(help: ArgumentHelp("FR id or number.", valueName: "fr"))
    var fr: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    @OptionGroup var rules: RulesOption

    func run() async throws {
        let db = try await source.scope(database.existing(forReading: true))
        // Times read best in the warehouse zone; without a readable rule file they show in UTC.
        let zone = rules.ruleSetIfReadable?.calendar.timeZone ?? TimeZone(identifier: "UTC")!
        guard let text = try await DecisionHistory.text(fr, db: db, zone: zone) else {
            Terminal.err("no decision stored for FR \(fr) in \(database.db)")
            throw Exit.failure
        }
        Terminal.out(text)
    }
}
