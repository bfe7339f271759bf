import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// Everything `run`, `demo` and the end-to-end tests need to build an agent.
public struct AgentConfiguration: Sendable {
    public var databasePath: String
    public var settings: AgentSettings
    public var client: FlxpointClientConfiguration
    /// Where alerts are posted; nil: no alerts.
    public var alertWebhook: String?

    public init(
        databasePath: String, settings: AgentSettings, client: FlxpointClientConfiguration, alertWebhook: String? = nil
    ) {
        self.databasePath = databasePath
        self.settings = settings
        self.client = client
        self.alertWebhook = alertWebhook
    }

    /// What the agent logs at start: every setting, the token redacted.
    public var logMetadata: Logger.Metadata {
        [
            "config.db": "\(databasePath)", "config.rules": "\(settings.rulesPath)",
            "config.api_url": "\(client.baseURL)",
            "config.token": "\(client.token)", "config.max_rps": "\(client.requestsPerSecond)",
            "config.interval": "\(settings.interval)", "config.pause_file": "\(settings.pauseFile)",
            "config.stock_max_age": "\(settings.stockMaxAge)",
            "config.tracking_inbox": "\(settings.trackingInbox ?? "none")",
            "config.inventory_interval": "\(settings.inventoryInterval.map { "\($0)" } ?? "none")",
            "config.alert_webhook": "\(alertWebhook == nil ? "none" : "set")",
        ]
    }
}

/// A wired agent.
public struct Agent: Sendable {
    public let database: AgentDatabase
    public let rules: RuleSource
    public let api: any FlxpointSourceAPI
    public let poll: PollService
    public let sender: OutboxSender
    public let tracking: TrackingImport
    public let inventory: InventoryPush
    public let after: AfterCycle
    /// A person's decisions (the web console).
    public let manual: ManualDecisions
    /// Delivers alerts to the webhook; nil when none is configured.
    public let alerts: AlertDelivery?
    public let health: HealthState
    /// Starts the next cycle early (the web console, after a person's decision).
    public let wake: CycleWake
    public let configuration: AgentConfiguration
}

/// The one composition root.
public enum AgentComposition {
    /// Opens the database, loads the rules (throwing their diagnostics when broken) and wires the services.
    public static func makeAgent(
        configuration: AgentConfiguration, logger: Logger, metrics: AgentMetrics = AgentMetrics(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> Agent {
        let database = try AgentDatabase.open(path: configuration.databasePath)
        let rules = try RuleSource(path: configuration.settings.rulesPath)
        let api = makeClient(
            configuration.client, databasePath: configuration.databasePath, logger: logger, metrics: metrics)
        let crash = CrashPoints()
        let settings = configuration.settings
        let alerts =
            configuration.alertWebhook == nil ? Alerts.off : Alerts(database: database, logger: logger, clock: clock)
        let sender = OutboxSender(
            database: database, api: api, settings: settings, alerts: alerts, logger: logger, metrics: metrics,
            crash: crash, concurrency: Self.sendConcurrency(requestsPerSecond: configuration.client.requestsPerSecond),
            clock: clock)
        let sweep = ReadBackSweep(
            database: database, api: api, logger: logger, after: settings.readBackAfter,
            perCycle: settings.readBackBudget(requestsPerSecond: configuration.client.requestsPerSecond), clock: clock)
        let poll = PollService(
            database: database, api: api, rules: rules, sender: sender, sweep: sweep, settings: settings,
            alerts: alerts, logger: logger, metrics: metrics, crash: crash, clock: clock)
        let tracking = TrackingImport(database: database, api: api, logger: logger, crash: crash, clock: clock)
        let inventory = InventoryPush(database: database, api: api, logger: logger, clock: clock)
        let inbox = settings.trackingInbox.map {
            TrackingInbox(directory: $0, settle: settings.trackingSettle, importer: tracking, logger: logger)
        }
        let after = AfterCycle(
            inbox: inbox, inventory: inventory, rules: rules, settings: settings, logger: logger, clock: clock)
        let delivery = configuration.alertWebhook.map {
            AlertDelivery(database: database, transport: WebhookClient(url: $0), logger: logger, clock: clock)
        }
        return Agent(
            database: database, rules: rules, api: api, poll: poll, sender: sender, tracking: tracking,
            inventory: inventory, after: after,
            manual: ManualDecisions(database: database, logger: logger, clock: clock),
            alerts: delivery, health: HealthState(), wake: CycleWake(), configuration: configuration)
    }

    /// The live Flxpoint client. Its request budget is shared, through a file beside the
    /// database, with every other source-agent process using that database: the daemon and a
    /// one-shot command together stay within the token's 2 requests/s.
    public static func makeClient(
        _ configuration: FlxpointClientConfiguration, databasePath: String, logger: Logger,
        metrics: AgentMetrics = AgentMetrics()
    ) -> FlxpointClient {
        FlxpointClient(
            configuration: configuration, logger: logger,
            limiter: RateLimiter(requestsPerSecond: configuration.requestsPerSecond, slotFile: databasePath + ".rate"),
            observe: { endpoint, status in metrics.apiCall(endpoint: endpoint, status: status) })
    }

    /// Answers in flight at once: one per request per second the token allows (Flxpoint's
    /// 2 gives 2, covering a slow round trip), 8 without a limit (the sandbox, a backlog test).
    static func sendConcurrency(requestsPerSecond: Double) -> Int {
        requestsPerSecond > 0 ? max(1, min(8, Int(requestsPerSecond.rounded(.up)))) : 8
    }
}
