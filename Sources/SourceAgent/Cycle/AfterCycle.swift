import Foundation
import Logging
import Synchronization

/// The work that follows a poll cycle: the tracking inbox, then an inventory push when one is
/// due. Each step's failure is logged and never stops the loop. While the agent is paused
/// neither runs: pause means nothing is written to Flxpoint; inbox files wait for `resume`.
public final class AfterCycle: Sendable {
    let inbox: TrackingInbox?
    let inventory: InventoryPush?
    let rules: RuleSource
    let settings: AgentSettings
    let logger: Logger
    let clock: @Sendable () -> Date
    private let lastPush = Mutex<Date?>(nil)

    public init(
        inbox: TrackingInbox?, inventory: InventoryPush?, rules: RuleSource, settings: AgentSettings, logger: Logger,
        clock: @escaping @Sendable () -> Date
    ) {
        self.inbox = inbox
        self.inventory = inventory
        self.rules = rules
        self.settings = settings
        self.logger = logger
        self.clock = clock
    }

    /// What ran.
    public struct Report: Sendable, Equatable {
        public var inbox: TrackingInbox.Report?
        public var pushed: Int?
    }

    @discardableResult
    public func run(shouldStop: @escaping @Sendable () -> Bool) async -> Report {
        var report = Report()
        if settings.isPaused { return report }
        if let inbox, !shouldStop() {
            do {
                report.inbox = try await inbox.process(shouldStop: shouldStop)
            } catch {
                logger.error("tracking inbox failed; tried again next cycle", metadata: ["error": "\(error)"])
            }
        }
        if let inventory, let interval = settings.inventoryInterval, !shouldStop() {
            let now = clock()
            let due = lastPush.withLock { last in
                last.map { now.timeIntervalSince($0) >= interval.timeInterval } ?? true
            }
            if due {
                do {
                    let safety = await rules.current.stockPolicy.safetyStock
                    let plan = try await inventory.plan(
                        safetyStock: safety, includeCost: settings.inventoryCost, all: false,
                        inboundWithin: settings.inventoryInboundWithin?.timeInterval)
                    report.pushed = try await inventory.push(plan, includeCost: settings.inventoryCost).pushed
                    lastPush.withLock { $0 = now }
                } catch {
                    logger.error("inventory push failed; tried again next cycle", metadata: ["error": "\(error)"])
                }
            }
        }
        return report
    }
}
