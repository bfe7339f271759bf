import ArgumentParser
import FlxpointAPI
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SourceAgent

/// `source-agent run`: the unattended agent.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll Flxpoint, decide every new FR by the rules, answer, and log why.",
        discussion: """
            SIGTERM/SIGINT finish the answer in flight and exit 0. SIGHUP, or a change to the rule file, reloads \
            the rules; a broken file keeps the old rules and logs its diagnostics. A file PAUSE beside the database \
            (or 'source-agent pause') stops answering: polling and deciding go on, as holds. Exit 3 from --once \
            when the safety guard held the cycle's cancels.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Time between poll cycles, e.g. 60s or 5m (default 60s).")
    var interval: DurationArgument?

    @Flag(help: "Run one cycle (poll, decide, send) and exit.")
    var once = false

    @Option(name: .customLong("metrics-port"), help: "Serve /healthz and Prometheus /metrics on this port.")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address for the metrics server.")
    var metricsHost = "127.0.0.1"

    @Option(name: .customLong("stock-max-age"), help: "Warn when stock was imported longer ago than this, e.g. 24h.")
    var stockMaxAge = DurationArgument(duration: .seconds(86_400))

    @Option(name: .customLong("log-format"), help: "Log lines on stderr as text or json.")
    var logFormat = "text"

    func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be text or json") }
        if let interval, interval.duration <= .zero { throw ValidationError("--interval must be above zero") }
    }

    func run() async throws {
        let logger = Logger(label: "source-agent")
        let file = try connection.fileSettings()
        // A flag left at its default gives way to the config file.
        let databasePath = database.db == DatabaseOption.defaultPath ? file["db"] ?? database.db : database.db
        let configuration = AgentConfiguration(
            databasePath: databasePath,
            settings: AgentSettings(
                rulesPath: rules.rules == RulesOption.defaultPath ? file["rules"] ?? rules.rules : rules.rules,
                interval: (interval ?? file["interval"].flatMap(DurationArgument.init(argument:)))?.duration
                    ?? .seconds(60),
                pauseFile: AgentSettings.pauseFile(besideDatabase: databasePath), stockMaxAge: stockMaxAge.duration),
            client: FlxpointClientConfiguration(
                baseURL: connection.resolvedURL(file), token: try connection.token(file),
                requestsPerSecond: connection.resolvedRPS(file)))
        let registry = PrometheusCollectorRegistry()
        if metricsPort != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        let agent: Agent
        do {
            agent = try AgentComposition.makeAgent(configuration: configuration, logger: logger)
        } catch let error as RuleSource.RuleLoadError {
            Terminal.err(error.description)
            throw Exit.badInput
        }
        logger.info("source-agent starting", metadata: configuration.logMetadata)

        if once {
            let report = try await agent.poll.runCycle()
            Terminal.out(
                "cycle \(report.cycleId): fetched \(report.fetched), decided \(report.decided), sent \(report.send.sent), "
                    + "failed \(report.send.failed), waiting \(report.send.deferred)\(report.paused ? " (paused)" : "")"
            )
            if report.guardTripped {
                Terminal.err("guard tripped: the cycle's cancels were held for review")
                throw Exit.guardTripped
            }
            return
        }
        var services: [any Service] = [
            AgentService(poll: agent.poll, health: agent.health, logger: logger),
            RuleReloadService(rules: agent.rules, logger: logger),
        ]
        if let metricsPort {
            services.append(
                MetricsServer(
                    host: metricsHost, port: metricsPort, registry: registry, health: agent.health,
                    interval: configuration.settings.interval, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
