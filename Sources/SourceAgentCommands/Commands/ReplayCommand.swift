import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent replay --rules NEW.yaml`: what would a rule change have changed?
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-decide logged decisions from their stored inputs under a rule file; list what would change.",
        discussion: """
            Each decision is decided again from the FR as it was received, the stock figures it saw, its "now" and \
            when it was first held. Replaying with the rule file that made them changes nothing.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption
    @OptionGroup var rules: RulesOption

    @Option(help: "From this date, date-time, or span back from now (7d, 36h).")
    var since: String?

    @Option(help: "Up to (not including) this date, date-time, or span back from now.")
    var until: String?

    @Option(help: "table or json.")
    var format: Format = .table

    /// How changes are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() async throws {
        let loaded = try InputFiles.ruleSet(rules.rules)
        for warning in loaded.warnings { Terminal.err(warning.description) }
        let ruleSet = loaded.ruleSet
        let window = try TimeWindow.options(
            since: since, until: until, now: AgentClock.now(), zone: ruleSet.calendar.timeZone)
        let db = try await source.scope(database.existing(forReading: true))
        let summary = try await Redecide.summary(
            db, since: window.since, until: window.until, ruleSet: ruleSet)
        switch format {
        case .json: Terminal.out(try summary.json())
        case .table: Terminal.out(summary.table(zone: ruleSet.calendar.timeZone))
        }
    }
}
