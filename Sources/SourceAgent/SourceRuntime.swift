import AgentStore
import FlxpointAPI
import Foundation

/// One source's wired services: its own database view, client and rate limiter, rules,
/// cycle and health.
public struct SourceRuntime: Sendable {
    public let name: String
    public let database: any SourceStore
    public let rules: RuleSource
    public let api: any FlxpointSourceAPI
    public let cycle: Cycle
    /// The same store as `database`, for what people do (the console): not fenced by this
    /// process's lease, so a person acting on a standby's console acts for the fleet, as
    /// `source-agent decide` does from any machine.
    public let people: any SourceStore
    public let sender: OutboxSender
    public let inventory: InventoryPush
    /// The work after each cycle (also run by `cycle`): tracking inbox, inventory push.
    public let after: AfterCycle
    /// A person's decisions (the web console).
    public let manual: ManualDecisions
    public let health: HealthState
    public let interval: Duration
    public init(
        name: String, database: any SourceStore, rules: RuleSource, api: any FlxpointSourceAPI, cycle: Cycle,
        people: any SourceStore, sender: OutboxSender, inventory: InventoryPush, after: AfterCycle,
        manual: ManualDecisions, health: HealthState, interval: Duration
    ) {
        self.name = name
        self.database = database
        self.rules = rules
        self.api = api
        self.cycle = cycle
        self.people = people
        self.sender = sender
        self.inventory = inventory
        self.after = after
        self.manual = manual
        self.health = health
        self.interval = interval
    }
}
