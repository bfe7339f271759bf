import AgentStore
import AgentStorePostgres
import ArgumentParser
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// `source-agent rules status`: the version in force and what every live process decides by.
struct RulesStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the rule version in force for the fleet and the version each live agent process has loaded.",
        discussion: "Exit 0 when every live process decides by the version in force, 1 when one does not.")

    @OptionGroup var database: DatabaseOption

    /// How the status is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "table (for a person) or json (for scripts).")
    var format: Format = .table

    /// The JSON form: one entry per rule file.
    struct Entry: Encodable {
        var name: String
        var version: Int64?
        var sha256: String
        var by: String
        var at: String
        var note: String?
        var processes: [RuleLoad]
        var outOfDate: Int

        enum CodingKeys: String, CodingKey {
            case name, version, sha256, by, at, note, processes
            case outOfDate = "out_of_date"
        }
    }

    func run() async throws {
        let store = try await database.existing(forReading: true)
        let fleet = try await FleetStatus.read(store: store, leases: nil, now: AgentClock.now())
        let stale = fleet.rules.reduce(0) { $0 + $1.outOfDate.count }
        if format == .json {
            let entries = fleet.rules.map {
                Entry(
                    name: $0.inForce.name, version: $0.inForce.id, sha256: $0.inForce.sha256, by: $0.inForce.actor,
                    at: Timestamp.utcString($0.inForce.at), note: $0.inForce.note, processes: $0.loads,
                    outOfDate: $0.outOfDate.count)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            Terminal.out(String(decoding: try encoder.encode(entries), as: UTF8.self))
        } else if fleet.rules.isEmpty {
            Terminal.out("no rules in force yet: no agent has started on this database")
        } else {
            for rules in fleet.rules {
                let version = rules.inForce
                Terminal.out(
                    "\(version.name): version \(FleetStatus.label(version)) in force since "
                        + "\(Timestamp.utcString(version.at)), by \(version.actor)"
                        + (version.note.map { ": \($0)" } ?? ""))
                let behind = Set(rules.outOfDate.map(\.holder))
                let rows = rules.loads.map { load -> [String] in
                    let state =
                        if load.versionId == version.id {
                            "up to date"
                        } else if behind.contains(load.holder) {
                            "OUT OF DATE" + (load.problem.map { ": \($0)" } ?? "")
                        } else {
                            "not seen since it came into force"
                        }
                    return [
                        "\(load.host) pid \(load.pid)", FleetStatus.label(load), StatusCommand.ago(load.loadedAt),
                        StatusCommand.ago(load.seenAt), state,
                    ]
                }
                if rows.isEmpty {
                    Terminal.out("  no live agent process")
                } else {
                    Terminal.out(
                        TextTable.render(header: ["PROCESS", "LOADED", "SINCE", "LOOKED", "STATE"], rows: rows))
                }
            }
        }
        if stale > 0 { throw Exit.failure }
    }
}
