import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore

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
        let window = try TimeWindow.parse(
            since: since, until: until, now: AgentClock.now(), zone: ruleSet.calendar.timeZone)
        let db = try await source.scope(database.existing(forReading: true))
        var summary = ReplaySummary()
        var batch = try await db.loggedDecisions(since: window.since, until: window.until, afterId: 0, limit: 1000)
        while let last = batch.last?.id {
            // The next batch is read while this one is decided again; each decision is decided
            // on its own, from its own inputs, so a batch spreads over every core.
            async let next = db.loggedDecisions(since: window.since, until: window.until, afterId: last, limit: 1000)
            for (logged, after) in await Self.redecide(batch, ruleSet: ruleSet) {
                summary.add(logged, after: after)
            }
            batch = try await next
        }
        switch format {
        case .json: Terminal.out(try summary.json())
        case .table: Terminal.out(summary.table(zone: ruleSet.calendar.timeZone))
        }
    }
}

extension ReplayCommand {
    /// Each logged decision with its outcome under `ruleSet`, in order.
    static func redecide(_ batch: [LoggedDecision], ruleSet: RuleSet) async -> [(LoggedDecision, ReplayOutcome?)] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count / 64))
        let parts = batch.chunked((batch.count + workers - 1) / workers)
        return await withTaskGroup(of: (Int, [(LoggedDecision, ReplayOutcome?)]).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask { (index, part.map { ($0, Self.redecide($0, ruleSet: ruleSet)) }) }
            }
            var done: [Int: [(LoggedDecision, ReplayOutcome?)]] = [:]
            for await (index, results) in group { done[index] = results }
            return parts.indices.flatMap { done[$0]! }
        }
    }

    static func redecide(_ logged: LoggedDecision, ruleSet: RuleSet) -> ReplayOutcome? {
        guard let before = logged.outcome, let fr = try? FRListDecoder.decodeOne(text: logged.frJSON) else {
            return nil
        }
        let input = ReplayInput(
            fr: fr, now: logged.now, heldSince: logged.heldSince, stockFigures: logged.stockFigures, logged: before,
            loggedOverride: logged.override)
        return ReplayOutcome(Replay.redecide(input, ruleSet: ruleSet))
    }
}

/// The replay result in the shape docs/commands.md gives.
struct ReplaySummary: Encodable {
    var replayed = 0
    var changed = 0
    var byChange: [String: Int] = Dictionary(uniqueKeysWithValues: ReplayChange.allCases.map { ($0.rawValue, 0) })
    var changes: [Change] = []
    var unreadable = 0

    /// One decision that would change, as JSON.
    struct Change: Encodable {
        var frId: Int
        var frNumber: String?
        var decidedAt: String
        var before: ReplayOutcome
        var after: ReplayOutcome
        var kinds: [String]

        enum CodingKeys: String, CodingKey {
            case before, after
            case frId = "fr_id"
            case frNumber = "fr_number"
            case decidedAt = "decided_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case replayed, changed, changes
        case byChange = "by_change"
    }

    /// Counts one replayed decision; `after` is nil when its stored FR or outcome cannot be read.
    mutating func add(_ logged: LoggedDecision, after: ReplayOutcome?) {
        guard let before = logged.outcome, let after else {
            unreadable += 1
            return
        }
        replayed += 1
        let kinds = Replay.changes(before, after)
        guard !kinds.isEmpty else { return }
        changed += 1
        for kind in kinds { byChange[kind.rawValue, default: 0] += 1 }
        changes.append(
            Change(
                frId: logged.frId, frNumber: logged.frNumber, decidedAt: Timestamp.utcString(logged.decidedAt),
                before: before, after: after, kinds: ReplayChange.allCases.filter(kinds.contains).map(\.rawValue)))
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table(zone: TimeZone) -> String {
        var lines = changes.map { change in
            let name = change.frNumber ?? "#\(change.frId)"
            let before = "\(change.before.decision.rawValue) (\(change.before.rule))"
            let after = "\(change.after.decision.rawValue) (\(change.after.rule))"
            return "\(name)  \(change.decidedAt)  \(before) → \(after)  [\(change.kinds.joined(separator: ", "))]"
        }
        let counts = ReplayChange.allCases.map { "\(byChange[$0.rawValue] ?? 0) \($0.rawValue)" }
        lines.append(
            "\(replayed) decisions replayed, \(changed) would change (\(counts.joined(separator: ", ")))"
                + (unreadable > 0 ? "; \(unreadable) skipped: their FR JSON could not be read" : ""))
        return lines.joined(separator: "\n")
    }
}
