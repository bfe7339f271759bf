import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent holds`: the FRs waiting for a person, the longest waiting first.
struct HoldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holds",
        abstract: "List open holds, oldest first: age, rule, note, ship-by, time left before escalation or ship-by.",
        discussion: """
            Decide one with 'source-agent decide FR ...'. The deadlines come from the rule file (--rules); without \
            a readable one they are left out.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption
    @OptionGroup var rules: RulesOption

    /// How the queue is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "table or json.")
    var format: Format = .table

    @Option(help: "At most this many holds.")
    var limit = 1000

    func validate() throws {
        if !(1...1_000_000).contains(limit) { throw ValidationError("--limit must be from 1 to 1000000, got \(limit)") }
    }

    func run() async throws {
        let db = try await source.scope(database.existing(forReading: true))
        let ruleSet = rules.ruleSetIfReadable
        if ruleSet == nil { Terminal.err("note: no readable rule file at \(rules.rules); deadlines are left out") }
        let now = AgentClock.now()
        let entries = try await db.openHolds(limit: limit).map { HoldQueueEntry($0, ruleSet: ruleSet) }
        switch format {
        case .json: Terminal.out(HoldsJSON.text(entries, now: now))
        case .table: Terminal.out(entries.isEmpty ? "no open holds" : Self.table(entries, now: now))
        }
    }

    static func table(_ entries: [HoldQueueEntry], now: Date) -> String {
        let header = ["FR", "HELD", "RULE", "SHIP BY", "TIME LEFT", "NOTE"]
        let rows = entries.map { entry in
            [
                entry.hold.displayName, HoldQueueEntry.span(now.timeIntervalSince(entry.hold.heldSince)),
                entry.hold.decision.rule + (entry.hold.decision.decidedBy.map { " (\($0))" } ?? ""),
                entry.shipBy ?? "-", entry.timeLeft(now: now),
                (entry.hold.decision.note ?? "").replacingOccurrences(of: "\n", with: " "),
            ]
        }
        return TextTable.render(header: header, rows: rows)
    }
}

/// `holds --format json`: one array, the longest waiting first, times in UTC.
enum HoldsJSON {
    /// One hold as JSON.
    struct Entry: Encodable {
        let frId: Int
        let frNumber: String?
        let heldSince: String
        let ageSeconds: Int
        let rule: String
        let decidedBy: String?
        let note: String?
        let shipBy: String?
        let shipByDeadline: String?
        let escalatesAt: String?
        let escalatesTo: String?
        let heldUntil: String?
        let secondsLeft: Int?
    }

    static func text(_ entries: [HoldQueueEntry], now: Date) -> String {
        let rows = entries.map { entry in
            Entry(
                frId: entry.hold.frId, frNumber: entry.hold.frNumber,
                heldSince: Timestamp.utcString(entry.hold.heldSince),
                ageSeconds: Int(now.timeIntervalSince(entry.hold.heldSince)), rule: entry.hold.decision.rule,
                decidedBy: entry.hold.decision.decidedBy, note: entry.hold.decision.note, shipBy: entry.shipBy,
                shipByDeadline: entry.shipByDeadline.map(Timestamp.utcString),
                escalatesAt: entry.escalatesAt.map(Timestamp.utcString), escalatesTo: entry.escalatesTo,
                heldUntil: entry.heldUntil.map(Timestamp.utcString),
                secondsLeft: entry.nextDeadline.map { Int($0.at.timeIntervalSince(now)) })
        }
        let data = (try? StableJSON.encoder(snakeCase: true).encode(rows)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
