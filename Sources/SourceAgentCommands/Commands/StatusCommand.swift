import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent status`: one screen an operator reads at 3 a.m.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Last cycle, open holds, outbox backlog, guard and pause state, stock age.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    /// How status is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case screen, json
    }

    @Option(help: "screen (for a person) or json (one object, for monitoring scripts).")
    var format: Format = .screen

    func run() async throws {
        let databases = try await source.all(database.existing(forReading: true))
        let paused = FileManager.default.fileExists(atPath: StoreLocation(database.db).pauseFile)
        var objects: [StatusJSON] = []
        var screens: [String] = []
        for db in databases {
            let status = try await db.status()
            let awaiting = try await db.awaitingShipment()
            let ages = HoldAges(heldSince: try await db.openHoldsSince(), now: AgentClock.now())
            let people = try await db.manualDecisionsByPerson()
            if format == .json {
                objects.append(
                    StatusJSON(
                        source: db.source, pool: db.pool, status: status, awaiting: awaiting, paused: paused,
                        holdAges: ages, people: people))
            } else {
                let screen = Self.screen(status, awaiting: awaiting, paused: paused, ages: ages, people: people)
                screens.append(
                    databases.count == 1 ? screen : "source       \(db.source) (stock pool \(db.pool))\n" + screen)
            }
        }
        if format == .json {
            Terminal.out(objects.count == 1 ? objects[0].text : StatusJSON.text(StatusJSONList(sources: objects)))
        } else {
            Terminal.out(screens.joined(separator: "\n\n"))
        }
    }

    /// One source's screen.
    static func screen(
        _ status: AgentStatus, awaiting: AwaitingShipment, paused: Bool, ages: HoldAges, people: [String: Int]
    ) -> String {
        var lines: [String] = []
        if let cycle = status.lastCycle {
            let ago = Self.ago(cycle.finishedAt ?? cycle.startedAt)
            var line =
                "last cycle   #\(cycle.id ?? 0) \(ago): fetched \(cycle.fetched), decided \(cycle.decided), "
                + "sent \(cycle.sent), failed \(cycle.failed)"
            if let error = cycle.error { line += "\n             ERROR: \(error)" }
            lines.append(line)
        } else {
            lines.append("last cycle   none yet")
        }
        lines.append(
            "answers      \(status.answered) sent, \(status.pendingAnswers) waiting, \(status.failedAnswers) failed, "
                + "\(status.withdrawnAnswers) withdrawn ('source-agent answers list')")
        var holds = "holds        \(status.openHolds) FRs waiting for a person or for stock"
        if status.openHolds > 0, let cycle = status.lastCycle {
            if let since = cycle.oldestHoldSince { holds += "; oldest first held \(Self.ago(since))" }
            if cycle.holdsPastShipBy > 0 {
                holds += "\n             \(cycle.holdsPastShipBy) can no longer meet their ship-by day"
            }
        }
        lines.append(holds)
        if status.openHolds > 0 { lines.append("  by age     " + ages.text + " ('source-agent holds')") }
        lines.append(
            "people       "
                + (people.isEmpty
                    ? "no decisions by a person yet"
                    : people.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        + " (decisions taken with 'source-agent decide' or the console)"))
        var shipping = "\(awaiting.units) units held for \(awaiting.frs) acknowledged FRs awaiting shipment"
        if let id = awaiting.oldestFRId, let at = awaiting.oldestAnsweredAt {
            shipping += "; oldest \(awaiting.oldestFRNumber ?? "#\(id)") acknowledged \(Self.ago(at))"
        }
        lines.append("shipping     " + shipping)
        lines.append("quarantine   \(status.quarantined) malformed FRs")
        lines.append(
            "guard        "
                + ((status.lastCycle?.guardTripped ?? false)
                    ? "TRIPPED in the last cycle: cancels held for review" : "ok"))
        lines.append("pause        " + (paused ? "PAUSED (run 'source-agent resume')" : "answering"))
        lines.append("stock        " + (status.lastStockImport.map { "imported \(Self.ago($0))" } ?? "never imported"))
        let kinds = DecisionKind.allCases.map { "\(status.decisionsByKind[$0.rawValue] ?? 0) \($0.rawValue)" }
        lines.append("decisions    " + kinds.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// `date` as a person reads it ("6 days ago"), by the agent's clock.
    static func ago(_ date: Date) -> String { HumanTime.relative(date, now: AgentClock.now()) }
}
