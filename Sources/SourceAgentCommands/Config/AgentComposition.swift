// Config: settings resolved flag → environment → file → default, and the one composition root that wires the agent.

import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// One Flxpoint account the agent answers for, as the composition root needs it.
public struct SourceConfiguration: Sendable {
    public var name: String
    public var pool: String
    public var client: FlxpointClientConfiguration
    public var rulesPath: String
    public var interval: Duration
    /// The share of the pool's free units an inventory push offers this account; nil: all.
    public var maxShare: Double?

    public init(
        name: String, pool: String = AgentDatabase.defaultPool, client: FlxpointClientConfiguration,
        rulesPath: String, interval: Duration, maxShare: Double? = nil
    ) {
        self.name = name
        self.pool = pool
        self.client = client
        self.rulesPath = rulesPath
        self.interval = interval
        self.maxShare = maxShare
    }
}

/// Everything `run`, `demo` and the end-to-end tests need to build an agent.
public struct AgentConfiguration: Sendable {
    /// The SQLite file, or the `postgres://` URL of the shared store.
    public var databasePath: String
    /// The PostgreSQL password's file; else `PGPASSWORD`.
    public var databasePasswordFile: String?
    /// Settings every source shares (pause file, stock age, tracking inbox, inventory
    /// schedule); each source's rules and interval are in `sources`.
    public var settings: AgentSettings
    public var sources: [SourceConfiguration]
    /// Where alerts are posted; nil: no alerts.
    public var alertWebhook: String?
    /// On the shared PostgreSQL store: how long a lease lasts unrenewed, and how often it is renewed.
    public var leaseTTL: Duration = .seconds(15)
    public var leaseRenew: Duration = .seconds(5)

    /// One source, `default`, with `settings`' rules and interval.
    public init(
        databasePath: String, settings: AgentSettings, client: FlxpointClientConfiguration, alertWebhook: String? = nil
    ) {
        self.init(
            databasePath: databasePath, settings: settings,
            sources: [
                SourceConfiguration(
                    name: AgentDatabase.defaultSource, client: client, rulesPath: settings.rulesPath,
                    interval: settings.interval)
            ], alertWebhook: alertWebhook)
    }

    public init(
        databasePath: String, settings: AgentSettings, sources: [SourceConfiguration], alertWebhook: String? = nil
    ) {
        precondition(!sources.isEmpty, "an agent answers for at least one source")
        self.databasePath = databasePath
        self.settings = settings
        self.sources = sources
        self.alertWebhook = alertWebhook
    }

    /// What the agent logs at start: every setting, tokens redacted.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "config.db": "\(RedactedURL.redact(databasePath))", "config.pause_file": "\(settings.pauseFile)",
            "config.stock_max_age": "\(settings.stockMaxAge)",
            "config.tracking_inbox": "\(settings.trackingInbox ?? "none")",
            "config.inventory_interval": "\(settings.inventoryInterval.map { "\($0)" } ?? "none")",
            "config.alert_webhook": "\(alertWebhook.map(RedactedURL.redactWebhook) ?? "none")",
        ]
        if sources.count == 1, let source = sources.first {
            metadata["config.rules"] = "\(source.rulesPath)"
            metadata["config.api_url"] = "\(RedactedURL.redact(source.client.baseURL))"
            metadata["config.token"] = "\(source.client.token)"
            metadata["config.max_rps"] = "\(source.client.requestsPerSecond)"
            metadata["config.interval"] = "\(source.interval)"
        } else {
            metadata["config.sources"] = .string(
                sources.map {
                    "\($0.name) (pool \($0.pool), \(RedactedURL.redact($0.client.baseURL)), token \($0.client.token), "
                        + "\($0.client.requestsPerSecond) rps, every \($0.interval), rules \($0.rulesPath))"
                }.joined(separator: "; "))
        }
        return metadata
    }
}

/// A wired agent: one runtime per source over one database.
public struct Agent: Sendable {
    public let sources: [SourceRuntime]
    /// Creates shipments for every source, each row routed to its source.
    public let tracking: TrackingImport
    /// The same import for a person's upload on the console: not gated by this process's
    /// leases, as `source-agent tracking import` is not, so it works on a standby too.
    public let peopleTracking: TrackingImport
    /// Who this process is to the fleet (the lease holder's identity on the shared store).
    public let identity: ProcessIdentity
    /// Delivers alerts to the webhook; nil when none is configured.
    public let alerts: AlertDelivery?
    /// Starts the next cycle early (the web console, after a person's decision).
    public let wake: CycleWake
    public let configuration: AgentConfiguration
    /// The agent's clock: every part of it, and its console, read "now" here.
    public let clock: @Sendable () -> Date
    /// On the shared store: the leases this process holds, and the service keeping them.
    public var book: LeaseBook? = nil
    public var leases: LeaseKeeper? = nil
    /// On the shared store: every source's lease, for the fleet's pages.
    public var leaseStore: (any LeaseStore)? = nil

    /// The first source: the only one in a single-source setup, which is what the console,
    /// `demo` and most tests work with.
    public var primary: SourceRuntime { sources[0] }
    public var database: any SourceStore { primary.database }
    public var rules: RuleSource { primary.rules }
    public var cycle: Cycle { primary.cycle }
    public var sender: OutboxSender { primary.sender }
    public var inventory: InventoryPush { primary.inventory }
    public var after: AfterCycle { primary.after }
    public var manual: ManualDecisions { primary.manual }
}

/// The one composition root.
public enum AgentComposition {
    /// Opens the database, loads the rules (throwing their diagnostics when broken) and wires
    /// the services of every source. Sources sharing a rule file share its `RuleSource`;
    /// sources sharing a pool share its `PoolLock`.
    ///
    /// `store` and `transport` replace the SQLite file and HTTP: the in-process twins the
    /// cycle's tests run on (an in-memory database, the sandbox without sockets).
    public static func makeAgent(
        configuration: AgentConfiguration, logger: Logger, metrics: AgentMetrics? = nil,
        clock: @escaping @Sendable () -> Date = { AgentClock.now() }, store: OpenedStore? = nil,
        transport: (any FlxpointTransport)? = nil
    ) async throws -> Agent {
        let location = StoreLocation(configuration.databasePath)
        var opened: OpenedStore
        if let store {
            opened = store
        } else {
            opened = try await location.open(
                passwordFile: configuration.databasePasswordFile, create: true,
                idleInTransaction: configuration.leaseTTL, logger: logger)
        }
        var file = opened.store
        // What the agent reads back is checked like any input: an impossible time is reset.
        for repair in try await file.repairImpossibleTimes(at: clock()) { logger.warning("\(repair)") }
        // On the shared store every source is answered by the holder of its lease: every
        // write is fenced by the lease's epoch and every call started inside its trust window.
        var book: LeaseBook?
        var leaseStore: (any LeaseStore)?
        // What people do is fenced by no lease (see `SourceRuntime.people`).
        let unfenced = file
        if case .shared(let shared) = opened {
            let lease = LeaseBook(
                ttl: configuration.leaseTTL, margin: max(.milliseconds(200), configuration.leaseTTL / 5))
            file = shared.fenced(by: lease)
            book = lease
            leaseStore = shared.leases
        }
        let crash = CrashPoints()
        // Each source's metrics and log label, view of the database, and client (own token,
        // own rate budget).
        let labels = configuration.sources.map { source in
            (metrics: metrics ?? AgentMetrics(source: source.name), logger: sourceLogger(logger, source, configuration))
        }
        var routes: [TrackingImport.Route] = []
        var peopleRoutes: [TrackingImport.Route] = []
        for (source, label) in zip(configuration.sources, labels) {
            let database = try await file.scoped(to: source.name, pool: source.pool)
            var client = source.client
            if let book {
                // A call starts only if it ends, time-out included, inside the lease's trust
                // window: half of it leaves room for the call between two renewals.
                client.timeout = min(client.timeout, (book.ttl - book.margin) / 2)
            }
            var api = makeClient(
                client, store: opened, location: location, source: source.name, logger: label.logger,
                metrics: label.metrics, transport: transport)
            peopleRoutes.append(
                TrackingImport.Route(database: try await unfenced.scoped(to: source.name, pool: source.pool), api: api))
            if let book {
                api = api.gated { [name = source.name] lasting in
                    guard book.canStart(name, lasting: lasting) else { throw LeaseLost(source: name) }
                    book.beat(name)
                } waiting: { [name = source.name] duration in
                    // Waiting its turn is not being stuck: the watchdog counts from the end of it.
                    book.beat(name, quiet: duration)
                }
            }
            routes.append(TrackingImport.Route(database: database, api: api))
        }
        let tracking = TrackingImport(routes: routes, logger: logger, crash: crash, clock: clock)
        let peopleTracking = TrackingImport(routes: peopleRoutes, logger: logger, crash: crash, clock: clock)
        let identity = ProcessIdentity(holder: book?.holder ?? UUID().uuidString.lowercased())
        var rulesByPath: [String: RuleSource] = [:]
        let poolLocks = PoolLocks()
        var sources: [SourceRuntime] = []
        var alertsBySource: [String: Alerts] = [:]
        for (index, source) in configuration.sources.enumerated() {
            let (database, api) = (routes[index].database, routes[index].api)
            let (metrics, logger) = labels[index]
            let rules: RuleSource
            if let shared = rulesByPath[source.rulesPath] {
                rules = shared
            } else {
                // The fleet's policy: the store's version in force, not this machine's copy.
                rules = try RuleSource(path: source.rulesPath)
                try await rules.join(store: file, identity: identity, clock: clock, logger: logger)
                rulesByPath[source.rulesPath] = rules
            }
            var settings = configuration.settings
            settings.rulesPath = source.rulesPath
            settings.interval = source.interval
            let alerts =
                configuration.alertWebhook == nil
                ? Alerts.off : Alerts(database: database, logger: logger, clock: clock)
            alertsBySource[source.name] = alerts
            let sender = OutboxSender(
                database: database, api: api, settings: settings, alerts: alerts, logger: logger, metrics: metrics,
                crash: crash, concurrency: Self.sendConcurrency(requestsPerSecond: source.client.requestsPerSecond),
                clock: clock)
            let sweep = ReadBackSweep(
                database: database, api: api, logger: logger, after: settings.readBackAfter,
                perCycle: settings.readBackBudget(requestsPerSecond: source.client.requestsPerSecond), clock: clock)
            let poolLock = poolLocks.lock(for: source.pool)
            let inventory = InventoryPush(
                database: database, api: api, logger: logger, maxShare: source.maxShare, clock: clock)
            // One inbox for the warehouse, emptied after the first source's cycles: its files
            // carry a `source` column, or name FRs only one source knows. The folder may be
            // shared by the fleet: each file is claimed in the store, and imported as a person's
            // file is (not gated by this process's leases), so any row reaches its source.
            let inbox =
                sources.isEmpty
                ? settings.trackingInbox.map {
                    TrackingInbox(
                        directory: $0, settle: settings.trackingSettle, importer: peopleTracking, logger: logger,
                        claims: TrackingInbox.Claims(
                            store: file, holder: identity.holder, claimFor: configuration.leaseTTL, clock: clock))
                } : nil
            let health = HealthState()
            let after = AfterCycle(
                inbox: inbox, inventory: inventory, rules: rules, settings: settings, logger: logger, clock: clock)
            let cycle = Cycle(
                database: database, api: api, rules: rules, sender: sender, sweep: sweep, after: after, health: health,
                settings: settings, alerts: alerts, logger: logger, metrics: metrics, crash: crash,
                poolLock: poolLock, clock: clock)
            sources.append(
                SourceRuntime(
                    name: source.name, database: database, rules: rules, api: api, cycle: cycle,
                    people: peopleRoutes[index].database, sender: sender, inventory: inventory, after: after,
                    manual: ManualDecisions(
                        database: peopleRoutes[index].database, logger: logger, poolLock: poolLock, clock: clock),
                    health: health, interval: source.interval))
        }
        let delivery = configuration.alertWebhook.map {
            AlertDelivery(database: file, transport: WebhookClient(url: $0), logger: logger, clock: clock)
        }
        var agent = Agent(
            sources: sources, tracking: tracking, peopleTracking: peopleTracking, identity: identity, alerts: delivery,
            wake: CycleWake(), configuration: configuration, clock: clock)
        if let book, let leaseStore {
            agent.book = book
            agent.leaseStore = leaseStore
            agent.leases = LeaseKeeper(
                store: leaseStore, book: book, sources: configuration.sources.map(\.name),
                renewEvery: configuration.leaseRenew, alerts: alertsBySource, logger: logger,
                watchdog: configuration.leaseTTL * 2, clock: clock)
        }
        return agent
    }

    /// With several sources every log line says which one it is about.
    private static func sourceLogger(
        _ logger: Logger, _ source: SourceConfiguration, _ configuration: AgentConfiguration
    ) -> Logger {
        var logger = logger
        if configuration.sources.count > 1 { logger[metadataKey: "source"] = "\(source.name)" }
        return logger
    }

    /// The live Flxpoint client. Its request budget is shared, through a file beside the
    /// database, with every other source-agent process using that database: the daemon and a
    /// one-shot command together stay within the token's 2 requests/s. On the shared
    /// PostgreSQL store (`store`) the budget is kept in the database, for every machine.
    /// Each source has its own token, so its own budget and slot file.
    static func makeClient(
        _ configuration: FlxpointClientConfiguration, store: OpenedStore?, location: StoreLocation,
        source: String = StoreDefaults.source, logger: Logger, metrics: AgentMetrics = AgentMetrics(),
        transport: (any FlxpointTransport)? = nil
    ) -> FlxpointClient {
        let limiter: RateLimiter
        if case .shared(let shared) = store {
            // On the shared store the budget lives in the database, for every process on every machine.
            limiter = RateLimiter(
                requestsPerSecond: configuration.requestsPerSecond,
                shared: PostgresRateSlots(store: shared, key: configuration.token.budgetKey))
        } else {
            limiter = RateLimiter(
                requestsPerSecond: configuration.requestsPerSecond, slotFile: location.rateSlotFile(source: source),
                repaired: { logger.warning("\($0)") })
        }
        return FlxpointClient(
            configuration: configuration,
            transport: transport
                ?? HTTPTransport(baseURL: configuration.baseURL, timeout: configuration.timeout, logger: logger),
            logger: logger, limiter: limiter,
            observe: { endpoint, status in metrics.apiCall(endpoint: endpoint, status: status) })
    }

    /// Answers in flight at once: one per request per second the token allows (Flxpoint's
    /// 2 gives 2, covering a slow round trip), 8 without a limit (the sandbox, a backlog test).
    static func sendConcurrency(requestsPerSecond: Double) -> Int {
        // Clamped as a Double first: a huge rate must not trap converting to Int.
        requestsPerSecond > 0 && requestsPerSecond.isFinite ? Int(min(8, max(1, requestsPerSecond.rounded(.up)))) : 8
    }
}
