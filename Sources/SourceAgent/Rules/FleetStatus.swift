import AgentStore
import Foundation

/// What the fleet looks like from any machine: each rule file's version in force and the
/// version every live process has loaded, and (on the shared store) who holds each source's
/// lease. `rules status`, `leases` and the console's pages read the same value.
public struct FleetStatus: Sendable {
    /// A process that looked at the rules within this long is live.
    public static let liveWithin: TimeInterval = 30
    /// How long after a version came into force a process that looked is expected to run it.
    public static let grace: TimeInterval = 2

    /// One rule file: its version in force and the processes that follow it.
    public struct Rules: Sendable {
        public var inForce: RuleVersion
        public var loads: [RuleLoad]

        /// The live processes still deciding by another version although they looked at the
        /// rules in force after it came into force (a process that died before it is not one).
        public var outOfDate: [RuleLoad] {
            loads.filter { $0.versionId != inForce.id && $0.seenAt > inForce.at.addingTimeInterval(FleetStatus.grace) }
        }
    }

    public var rules: [Rules]
    /// Every lease (empty on SQLite, where one process answers everything).
    public var leases: [LeaseRecord]
    /// The live processes' loaded versions, by holder: who holds a lease and what it decides by.
    public var processes: [String: [RuleLoad]]

    /// Reads it now.
    public static func read(store: any FleetStore, leases: (any LeaseStore)?, now: Date) async throws -> FleetStatus {
        let loads = try await store.ruleLoads(seenSince: now.addingTimeInterval(-liveWithin))
        let rules = try await store.rulesInForce().map { inForce in
            Rules(inForce: inForce, loads: loads.filter { $0.name == inForce.name })
        }
        return FleetStatus(
            rules: rules, leases: try await leases?.leases() ?? [],
            processes: Dictionary(grouping: loads, by: \.holder))
    }

    /// "#3 (1a2b3c4d5e6f)": how a version is named to people.
    public static func label(_ version: RuleVersion) -> String {
        "#\(version.id ?? 0) (\(version.sha256.prefix(12)))"
    }

    /// "#3", or the digest of rules no version records.
    public static func label(_ load: RuleLoad) -> String {
        load.versionId.map { "#\($0)" } ?? "unrecorded (\(load.sha256.prefix(12)))"
    }
}
