import AgentStore
import Foundation
import SourceAgent

/// The fleet on any machine's console: which process answers each source (lease, epoch,
/// expiry, takeovers, its last cycle) and which rule version each live process decides by, so
/// a person need not know which machine holds what.
extension ConsoleView {
    /// Adds the fleet's rule versions (`fleetRules`, for the rules file of `source`) and, with
    /// `leases`, every source's lease (`leases`), to a page's context.
    func fleet(into context: inout [String: Any], source: SourceRuntime, leases showLeases: Bool, now: Date)
        async throws
    {
        let fleet = try await FleetStatus.read(store: source.database, leases: leases, now: now)
        let rules = fleet.rules.first { $0.inForce.name == source.rules.name }
        let behind = Set((rules?.outOfDate ?? []).map(\.holder))
        context["fleetRules"] = (rules?.loads ?? []).map { load -> [String: Any] in
            var row: [String: Any] = [
                "process": "\(load.host):\(load.pid)", "version": FleetStatus.label(load),
                "current": !behind.contains(load.holder), "loaded": ago(load.loadedAt),
                "seen": ago(load.seenAt),
            ]
            // Mustache shows a section for any string, an empty one too: only a real problem is set.
            if let problem = load.problem { row["problem"] = problem }
            return row
        }
        if !behind.isEmpty { context["rulesOutOfDate"] = behind.count }
        guard showLeases else { return }
        var rows: [[String: Any]] = []
        for lease in fleet.leases {
            let loads = lease.holder.flatMap { fleet.processes[$0] } ?? []
            let last = try await sources.first { $0.name == lease.source }?.database.status(totals: false).lastCycle
            rows.append([
                "source": lease.source,
                "holder": lease.holder == nil ? "none" : "\(lease.host ?? "?"):\(lease.pid.map(String.init) ?? "?")",
                "epoch": lease.epoch, "takeovers": lease.takeovers,
                "expires": lease.expiresIn.map { $0 > 0 ? "in \(Int($0.rounded(.up)))s" : "expired" } ?? "—",
                "rules": loads.map { FleetStatus.label($0) }.joined(separator: ", "),
                "lastCycle": last.map { ago($0.finishedAt ?? $0.startedAt) } ?? "none",
            ])
        }
        context["leases"] = rows
        context["hasLeases"] = !rows.isEmpty
    }
}
