import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The fleet on any machine's console: which process answers each source (lease, epoch,
/// expiry, takeovers, its last cycle) and which rule version each live process decides by, so
/// a person need not know which machine holds what.
extension ConsoleView {
    /// The fleet's part of a page: which rule version each live process decides by and,
    /// on the overview, every source's lease.
    struct Fleet: Sendable {
        var fleetRules: [RuleLoad] = []
        var rulesOutOfDate: Int?
        var leases: [Lease] = []
        var hasLeases = false

        /// A live process and the rule version it loaded.
        struct RuleLoad: Sendable {
            var process: String
            var version: String
            var current: Bool
            var loaded: Moment
            var seen: Moment
            var problem: String?
        }

        /// Who answers one source.
        struct Lease: Sendable {
            var source: String
            var holder: String
            var epoch: Int64
            var takeovers: Int
            var expires: String
            var rules: String
            var lastCycle: Moment?
        }
    }

    /// The fleet's rule versions (for the rules file of `source`) and, with `leases`, every
    /// source's lease.
    func fleet(source: SourceRuntime, leases showLeases: Bool, now: Date) async throws -> Fleet {
        let status = try await FleetStatus.read(store: source.database, leases: leases, now: now)
        let zone = await source.rules.current.calendar.timeZone
        let rules = status.rules.first { $0.inForce.name == source.rules.name }
        let behind = Set((rules?.outOfDate ?? []).map(\.holder))
        var fleet = Fleet()
        fleet.fleetRules = (rules?.loads ?? []).map { load in
            Fleet.RuleLoad(
                process: "\(load.host):\(load.pid)", version: FleetStatus.label(load),
                current: !behind.contains(load.holder), loaded: ago(load.loadedAt, zone: zone),
                seen: ago(load.seenAt, zone: zone),
                problem: load.problem)
        }
        fleet.rulesOutOfDate = behind.isEmpty ? nil : behind.count
        guard showLeases else { return fleet }
        for lease in status.leases {
            let loads = lease.holder.flatMap { status.processes[$0] } ?? []
            let last = try await sources.first { $0.name == lease.source }?.database.status(totals: false).lastCycle
            fleet.leases.append(
                Fleet.Lease(
                    source: lease.source,
                    holder: lease.holder == nil ? "none" : "\(lease.host ?? "?"):\(lease.pid.map(String.init) ?? "?")",
                    epoch: lease.epoch, takeovers: lease.takeovers,
                    expires: lease.expiresIn.map { $0 > 0 ? "in \(HumanTime.span($0.rounded(.up)))" : "expired" }
                        ?? "—",
                    rules: loads.map { FleetStatus.label($0) }.joined(separator: ", "),
                    lastCycle: last.map { ago($0.finishedAt ?? $0.startedAt, zone: zone) }))
        }
        fleet.hasLeases = !fleet.leases.isEmpty
        return fleet
    }
}
