import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Ends reservations of FRs that shipped or were voided without this agent hearing of it (the
/// warehouse created the shipment in Flxpoint's screens, the order was cancelled at the
/// channel), so their units are not held forever.
///
/// Low priority: only FRs answered longer ago than `readBackAfter`, a few per cycle (a small
/// share of the request budget), least recently checked first, each at most every six hours.
public struct ReadBackSweep: Sendable {
    let database: any SourceStore
    let api: any FlxpointSourceAPI
    let logger: Logger
    let after: Duration
    let perCycle: Int
    let clock: @Sendable () -> Date

    /// An FR read back is not read again for this long.
    static let recheckAfter: TimeInterval = 6 * 3600

    public init(
        database: any SourceStore, api: any FlxpointSourceAPI, logger: Logger, after: Duration, perCycle: Int,
        clock: @escaping @Sendable () -> Date
    ) {
        self.database = database
        self.api = api
        self.logger = logger
        self.after = after
        self.perCycle = perCycle
        self.clock = clock
    }

    /// What one sweep found.
    public struct Report: Sendable, Equatable {
        public var checked = 0
        public var shippedUnits = 0
        public var releasedFRs = 0
    }

    /// Reads back up to `perCycle` FRs. A failed read ends the sweep for this cycle; nothing
    /// changes for an FR that could not be read.
    public func run() async throws -> Report {
        let now = clock()
        var report = Report()
        let candidates = try await database.readBackCandidates(
            answeredBefore: now.addingTimeInterval(-after.timeInterval),
            checkedBefore: now.addingTimeInterval(-Self.recheckAfter), limit: perCycle)
        for frId in candidates {
            let fr: FulfillmentRequest
            do {
                fr = try await api.fulfillmentRequest(id: frId)
            } catch {
                logger.warning(
                    "read-back of an acknowledged FR failed; tried again later",
                    metadata: ["fr.id": "\(frId)", "error": "\(error)"])
                break
            }
            var shipped: [String: Int] = [:]
            for item in fr.items { if let sku = item.sku { shipped[sku, default: 0] += item.shippedQuantity ?? 0 } }
            let voided = fr.voidedAt != nil || ["voided", "canceled", "cancelled"].contains(fr.status?.lowercased())
            let ended = try await database.applyReadBack(frId: fr.id, shipped: shipped, voided: voided, at: clock())
            report.checked += 1
            if voided {
                report.releasedFRs += 1
                logger.notice(
                    "FR voided upstream; its held units are free again",
                    metadata: ["fr.id": "\(fr.id)", "units": "\(ended)"])
            } else {
                report.shippedUnits += ended
            }
        }
        return report
    }
}
