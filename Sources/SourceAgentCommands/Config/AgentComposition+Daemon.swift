import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import SourceAgent
import SourceAgentConsole

/// The daemon's side of the composition root: the configuration `run` starts from, and every
/// service of a running agent in the order they stop.
extension AgentComposition {
    /// What `run` wires, from its resolved settings.
    static func configuration(_ settings: Settings) throws -> AgentConfiguration {
        var configuration = AgentConfiguration(
            databasePath: settings.db,
            settings: AgentSettings(
                rulesPath: settings.rules, interval: settings.interval, pauseFile: settings.location.pauseFile,
                stockMaxAge: settings.stockMaxAge, readBackAfter: settings.readBackAfter,
                trackingInbox: settings.trackingInbox, trackingSettle: settings.trackingSettle,
                inventoryInterval: settings.inventoryInterval, inventoryCost: settings.inventoryCost,
                inventoryInboundWithin: settings.inventoryInboundWithin),
            sources: try settings.sources.map {
                SourceConfiguration(
                    name: $0.name, pool: $0.pool, client: try $0.clientConfiguration(), rulesPath: $0.rules,
                    interval: $0.interval, maxShare: $0.maxShare)
            }, alertWebhook: settings.alertWebhook)
        configuration.databasePasswordFile = settings.databasePasswordFile
        configuration.leaseTTL = settings.leaseTTL
        configuration.leaseRenew = settings.leaseRenew
        return configuration
    }

    /// The running agent's services under one `ServiceGroup` (SIGTERM and SIGINT stop it
    /// gracefully): the lease keeper first, so it stops last and the leases are released once
    /// no cycle runs; a cycle per source; the wake and rule-reload signals; the rule watch;
    /// alerts; the console and the metrics server when their ports are set.
    static func daemon(
        _ agent: Agent, settings: Settings, consoleLogin: ConsoleAccess.Login,
        registry: PrometheusCollectorRegistry?, logger: Logger
    ) -> ServiceGroup {
        var services: [any Service] = agent.sources.map {
            AgentService(cycle: $0.cycle, wake: agent.wake, book: agent.book, logger: logger)
        }
        if let leases = agent.leases { services.insert(leases, at: 0) }
        services.append(SignalService.wake(agent.wake, logger: logger))
        var reloads: [ObjectIdentifier: RuleSource] = [:]
        for source in agent.sources { reloads[ObjectIdentifier(source.rules)] = source.rules }
        services += reloads.values.map { SignalService.ruleReload($0, logger: logger) }
        services.append(
            RuleWatch(
                rules: Array(reloads.values), interval: agent.sources.map(\.interval).min() ?? RuleWatch.longest,
                logger: logger))
        if let alerts = agent.alerts { services.append(alerts) }
        if let consolePort = settings.consolePort {
            services.append(
                console(
                    agent: agent, host: settings.consoleHost, port: consolePort, login: consoleLogin, logger: logger))
        }
        if let registry, let metricsPort = settings.metricsPort {
            services.append(
                MetricsServer(
                    host: settings.metricsHost, port: metricsPort, registry: registry, sources: agent.sources,
                    book: agent.book, leases: agent.leases, logger: logger))
        }
        return ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
    }

    /// The web console over the agent's own database, rules and pause file.
    static func console(agent: Agent, host: String, port: Int, login access: ConsoleAccess.Login, logger: Logger)
        -> ConsoleServer
    {
        let login =
            switch access {
            case .none: "none"
            case .passwords: "basic"
            case .users: "users"
            }
        return ConsoleServer(
            sources: agent.sources, pauseFile: agent.configuration.settings.pauseFile, login: access,
            leases: agent.leaseStore, tracking: agent.peopleTracking, wake: agent.wake, clock: agent.clock,
            ruleTests: RuleTestFiles(), host: host, port: port, logger: logger,
            onListening: { bound in
                logger.notice(
                    "web console listening",
                    metadata: [
                        "console.url": "http://\(host):\(bound)/", "console.login": "\(login)",
                    ])
            })
    }
}
