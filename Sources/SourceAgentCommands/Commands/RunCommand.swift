// Commands: one file per command, each thin: parse, compose, call the agent, print.

import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SourceAgent
import SourceAgentConsole

/// `source-agent run`: the unattended agent.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll Flxpoint, decide every new FR by the rules, answer, and log why.",
        discussion: """
            SIGTERM/SIGINT finish the answer in flight and exit 0. SIGHUP, or a change to the rule file, reloads \
            the rules; a broken file keeps the old rules and logs its diagnostics. SIGUSR1 starts the next cycle now \
            ('source-agent decide' sends it). A file PAUSE beside the database \
            (or 'source-agent pause') stops answering: polling and deciding go on, as holds. Only one run per \
            database (a second exits 2). Exit 1 from --once when the cycle failed (a refused token included), 3 \
            when the safety guard held the cycle's cancels.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Time between poll cycles, \(SettingBound.words(.interval)) (default 60s).")
    var interval: DurationArgument?

    @Flag(help: "Run one cycle (poll, decide, send) and exit.")
    var once = false

    @Option(
        name: .customLong("metrics-port"),
        help: "Serve /healthz and Prometheus /metrics on this port (\(SettingBound.words(.metricsPort))).")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address for the metrics server (default 127.0.0.1).")
    var metricsHost: String?

    @Option(
        name: .customLong("stock-max-age"),
        help: "Warn when stock was imported longer ago than this, \(SettingBound.words(.stockMaxAge)) (default 24h).")
    var stockMaxAge: DurationArgument?

    @Option(name: .customLong("log-format"), help: "Log lines on stderr as text or json (default text).")
    var logFormat: String?

    @Option(
        name: .customLong("tracking-inbox"),
        help: ArgumentHelp(
            "Import tracking CSVs dropped in this folder after each cycle (moved to processed/ or failed/).",
            valueName: "dir"))
    var trackingInbox: String?

    @Option(
        name: .customLong("tracking-settle"),
        help:
            "An inbox file is imported once unchanged for this long, \(SettingBound.words(.trackingSettle)) (default 5s)."
    )
    var trackingSettle: DurationArgument?

    @Option(
        name: .customLong("inventory-interval"),
        help:
            "Push promisable stock to Flxpoint this often, \(SettingBound.words(.inventoryInterval)) (default: never).")
    var inventoryInterval: DurationArgument?

    @Flag(name: .customLong("inventory-cost"), help: "Scheduled inventory pushes send cost too.")
    var inventoryCost = false

    @Option(
        name: .customLong("inventory-inbound-within"),
        help: ArgumentHelp(
            "Scheduled inventory pushes add stock on its way landing within this long, "
                + "\(SettingBound.words(.inventoryInboundWithin)) (default: never)."))
    var inventoryInboundWithin: DurationArgument?

    @Option(
        name: .customLong("alert-webhook"),
        help: ArgumentHelp("POST one JSON object per alert to this URL.", valueName: "url"))
    var alertWebhook: String?

    @Option(
        name: .customLong("console-port"),
        help: "Serve the web console on this port (\(SettingBound.words(.consolePort))). Off by default.")
    var consolePort: Int?

    @Option(
        name: .customLong("console-host"),
        help: "Address for the web console (default 127.0.0.1); anything but loopback needs a password file.")
    var consoleHost: String?

    @Option(
        name: .customLong("console-password-file"),
        help: ArgumentHelp(
            "Lines 'name:password' for the console's HTTP basic auth (not readable by others).", valueName: "path"))
    var consolePasswordFile: String?

    @Option(
        name: .customLong("console-users-file"),
        help: ArgumentHelp(
            "Lines 'name:role:hash' (roles viewer, operator, admin; bcrypt hashes): sign-in with roles.",
            valueName: "path"))
    var consoleUsersFile: String?

    @Option(
        name: .customLong("read-back-after"),
        help:
            "Read back acknowledged FRs still holding stock once their answer is this old, \(SettingBound.words(.readBackAfter)) (default 2d)."
    )
    var readBackAfter: DurationArgument?

    @Option(
        name: .customLong("lease-ttl"),
        help: ArgumentHelp(
            "On a postgres:// database: how long a source's lease lasts unrenewed; a takeover waits this long; "
                + "\(SettingBound.words(.leaseTTL)) (default: 15s)."))
    var leaseTTL: DurationArgument?

    @Option(
        name: .customLong("lease-renew"),
        help:
            "On a postgres:// database: how often leases are renewed, \(SettingBound.words(.leaseRenew)) and at most 2/5 of --lease-ttl (default: 5s)."
    )
    var leaseRenew: DurationArgument?

    /// This command's own flags, by setting: each is resolved with the environment and the
    /// config file in `Settings.resolve`, so every one can also be written in `agent.yaml`.
    var flags: [Settings.Key: String?] {
        [
            .interval: interval?.text, .metricsPort: metricsPort.map(String.init), .metricsHost: metricsHost,
            .stockMaxAge: stockMaxAge?.text, .logFormat: logFormat, .trackingInbox: trackingInbox,
            .trackingSettle: trackingSettle?.text, .inventoryInterval: inventoryInterval?.text,
            .inventoryCost: inventoryCost ? "true" : nil, .inventoryInboundWithin: inventoryInboundWithin?.text,
            .alertWebhook: alertWebhook,
            .consolePort: consolePort.map(String.init), .consoleHost: consoleHost,
            .consolePasswordFile: consolePasswordFile, .consoleUsersFile: consoleUsersFile,
            .readBackAfter: readBackAfter?.text,
            .leaseTTL: leaseTTL?.text, .leaseRenew: leaseRenew?.text,
        ]
    }

    /// Values are checked with the config file's in `Settings.resolve`; only this flag's
    /// spelling is checked here, because logging reads it before the command runs.
    func validate() throws {
        if let logFormat, LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("--log-format must be text or json")
        }
    }

    func run() async throws {
        let settings = try connection.settings(database, rules: rules.given, more: flags)
        LogSetup.format.withLock { $0 = settings.logFormat }
        // Checked before anything starts (the same checks as `config show`): a console with a
        // bad password file never opens, a missing inbox is said once rather than every cycle.
        let consoleLogin = try settings.checkBeforeStart()
        let logger = Logger(label: "source-agent")
        // `decide` signals whoever holds the lock; until the wake service listens, SIGUSR1 must
        // not take its default action (ending the process).
        signal(SIGUSR1, SIG_IGN)
        // Only one `run` per SQLite file: two would answer the same FRs twice. On the shared
        // PostgreSQL store several run at once, and a lease per source says which one answers it.
        let lock: RunLock?
        do {
            lock = try settings.location.filePath.map(RunLock.acquire(besideDatabase:))
        } catch let held as RunLock.Held {
            Terminal.err("error: \(held.description)")
            throw Exit.badInput
        }
        defer { withExtendedLifetime(lock) {} }
        let configuration = try AgentComposition.configuration(settings)
        let registry = PrometheusCollectorRegistry()
        let metricsPort = settings.metricsPort
        if metricsPort != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        let agent: Agent
        do {
            agent = try await AgentComposition.makeAgent(configuration: configuration, logger: logger)
        } catch let error as RuleSource.RuleLoadError {
            Terminal.err(error.description)
            throw Exit.badInput
        }
        // Where each setting came from, so "why is it using that database?" has an answer in the log.
        let origins = settings.origins.filter { $0.value != .defaultValue }
            .map { "\($0.key.rawValue) from \($0.value)" }.sorted().joined(separator: ", ")
        logger.info(
            "source-agent starting",
            metadata: configuration.logMetadata.merging(["config.origins": "\(origins)"]) { $1 })
        if let note = settings.alertWebhook.flatMap(WebhookURL.note) { logger.notice("\(note)") }
        if AgentClock.current != 0 {
            logger.warning(
                "the agent's clock is moved by \(AgentClock.environmentName)",
                metadata: [
                    "clock.offset_s": "\(AgentClock.current)", "clock.now": "\(Timestamp.utcString(AgentClock.now()))",
                ])
        }

        if once {
            try await runOnce(agent)
            return
        }
        let group = AgentComposition.daemon(
            agent, settings: settings, consoleLogin: consoleLogin, registry: metricsPort == nil ? nil : registry,
            logger: logger)
        try await group.run()
    }

    /// `--once`: one cycle of every source (its tracking inbox and inventory push included),
    /// all at once as the daemon runs them: a source that fails or waits on Flxpoint does not
    /// hold the others back. Exit 1 when any failed, 3 when any guard tripped. With several
    /// sources each line starts with the source's name.
    ///
    /// SIGTERM or SIGINT stops the cycles after the answers in flight; the command then exits 0.
    private func runOnce(_ agent: Agent) async throws {
        let stop = StopRequest()
        defer { stop.stop() }
        let shouldStop: @Sendable () -> Bool = { stop.requested != nil }
        // On the shared store, once answers only the sources whose lease it gets.
        let held = await agent.leases?.round()
        let running = agent.sources.filter { held?.contains($0.name) ?? true }
        for source in agent.sources where !running.contains(where: { $0.name == source.name }) {
            Terminal.out("\(source.name): standing by: another process holds its lease")
        }
        // A long cycle may outlast a lease: it is renewed meanwhile, as the daemon does.
        let renewing = agent.leases.map { keeper in Task { await keeper.keepRenewing() } }
        let cycles = running.map { source in Task { try await source.cycle.run(shouldStop: shouldStop) } }
        var failed = false
        var guardTripped = false
        for (index, source) in running.enumerated() {
            let prefix = agent.sources.count == 1 ? "" : "\(source.name): "
            let report: CycleReport
            do {
                report = try await cycles[index].value
                Terminal.out(
                    "\(prefix)cycle \(report.cycleId): fetched \(report.fetched), decided \(report.decided), "
                        + "sent \(report.send.sent), failed \(report.send.failed), "
                        + "withdrawn \(report.withdrawn + report.send.withdrawn), "
                        + "waiting \(report.send.deferred)\(report.paused ? " (paused)" : "")")
                guardTripped = guardTripped || report.guardTripped
            } catch {
                Terminal.err("\(prefix)error: \(error)")
                failed = true
                continue
            }
            let after = report.after
            if let inbox = after.inbox, !(inbox.processed + inbox.failed + inbox.waiting).isEmpty {
                Terminal.out(
                    "tracking inbox: \(inbox.processed.count) processed, \(inbox.failed.count) failed, "
                        + "\(inbox.waiting.count) waiting")
            }
            if let pushed = after.pushed { Terminal.out("\(prefix)inventory: \(pushed) SKUs pushed") }
        }
        await agent.alerts?.deliverDue()
        renewing?.cancel()
        await renewing?.value
        await agent.leases?.releaseAll()
        if let signal = stop.requested {
            Terminal.err("stopped by \(signal) after the answers in flight; the rest stay queued for the next run")
        }
        if failed { throw Exit.failure }
        if guardTripped {
            Terminal.err("guard tripped: the cycle's cancels were held for review")
            throw Exit.guardTripped
        }
    }

    /// How people sign in to the console, from a file only this user can read; exits 2 naming
    /// the bad line.
    static func consoleLogin(_ settings: Settings) throws -> ConsoleAccess.Login {
        let parsed: Result<ConsoleAccess.Login, ConsoleSetupError>
        if let path = settings.consoleUsersFile {
            parsed = ConsoleUsers.parse(try SecretFile.read(path, what: "console users file"), path: path)
                .map { .users($0) }
        } else if let path = settings.consolePasswordFile {
            parsed = ConsoleAccess.parsePasswords(try SecretFile.read(path, what: "console password file"), path: path)
                .map { .passwords($0) }
        } else {
            return .none
        }
        switch parsed {
        case .success(let login): return login
        case .failure(let error):
            Terminal.err("error: \(error.description)")
            throw Exit.badInput
        }
    }
}
