import AgentStore
import Foundation
import FulfillmentCore
import Logging

/// What the cycle watches beside its FRs and raises alerts on: stock too old to decide by,
/// and holds that have waited too long for a person.
struct CycleWatch: Sendable {
    let database: any SourceStore
    let settings: AgentSettings
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics

    /// Warns (and alerts) when the last stock import is older than `stock_max_age`.
    func warnIfStockIsStale(_ now: Date) async {
        let last = try? await database.lastStockImport()
        let maxAge = settings.stockMaxAge.timeInterval
        if let last, now.timeIntervalSince(last) <= maxAge { return }
        let shown = last.map(Timestamp.utcString) ?? "never"
        logger.warning(
            "stock is stale: decisions are only as right as the stock they use; run 'source-agent stock import'",
            metadata: ["stock.last_import": "\(shown)"])
        await alerts.raise(.stockStale, message: "stock last imported \(shown)")
    }

    /// The holds waiting for a person, by age, and the decisions people took: exported, and
    /// alerted on when a hold has waited longer than `holdAlertAfter`.
    func countPeoplesWork(now: Date) async {
        guard let since = try? await database.openHoldsSince(),
            let byPerson = try? await database.manualDecisionsByPerson()
        else { return }
        let ages = HoldAges(heldSince: since, now: now)
        metrics.people(holds: ages, manualByPerson: byPerson)
        guard let oldest = ages.oldestSince, now.timeIntervalSince(oldest) > settings.holdAlertAfter.timeInterval
        else { return }
        var message =
            "\(ages.total) FRs wait for a person (\(ages.text)); the oldest since \(Timestamp.utcString(oldest))"
        if !byPerson.isEmpty {
            message +=
                "; decisions by people so far: "
                + byPerson.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        await alerts.raise(.holdsWaiting, message: message)
    }
}
