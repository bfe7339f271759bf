import AgentStore
import AgentStoreSQLite
import FlxpointAPI
import Foundation
import FulfillmentCore
import SourceAgentConsole

/// Every setting a command reads, resolved by `Settings.resolve`: the one place that says a
/// flag beats the environment, which beats the config file, which beats the default. Every
/// value is typed there whatever its origin, and an error names where the bad value came from.
struct Settings: Sendable {
    /// Every setting `run` takes: its config file key, flag and environment variable.
    enum Key: String, CaseIterable, Sendable {
        case apiURL = "api_url"
        case tokenFile = "token_file"
        case maxRPS = "max_rps"
        case db, rules, interval
        case metricsPort = "metrics_port"
        case stockMaxAge = "stock_max_age"
        case alertWebhook = "alert_webhook"
        case metricsHost = "metrics_host"
        case logFormat = "log_format"
        case trackingInbox = "tracking_inbox"
        case trackingSettle = "tracking_settle"
        case inventoryInterval = "inventory_interval"
        case inventoryCost = "inventory_cost"
        /// Stock on its way landing within this long is pushed with what is free (off by default).
        case inventoryInboundWithin = "inventory_inbound_within"
        case readBackAfter = "read_back_after"
        case consolePort = "console_port"
        case consoleHost = "console_host"
        case consolePasswordFile = "console_password_file"
        /// People with roles (`name:role:hash`), signing in to a session.
        case consoleUsersFile = "console_users_file"
        /// A `postgres://` URL: the shared store of several agent machines, in place of `db`.
        case database
        case databasePasswordFile = "database_password_file"
        /// On the shared store: how long a lease lasts unrenewed, and how often it is renewed.
        case leaseTTL = "lease_ttl"
        case leaseRenew = "lease_renew"

        var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }

        /// `FLXPOINT_API_URL` as Flxpoint's own tools name it; `SOURCE_AGENT_<KEY>` for the rest.
        var environmentName: String {
            switch self {
            case .apiURL: "FLXPOINT_API_URL"
            case .database: "SOURCE_AGENT_DATABASE_URL"
            default: "SOURCE_AGENT_" + rawValue.uppercased()
            }
        }

        /// Keys whose value is a path: in a config file, relative to the file.
        var isPath: Bool {
            [
                .tokenFile, .db, .rules, .trackingInbox, .consolePasswordFile, .consoleUsersFile, .databasePasswordFile,
            ].contains(self)
        }
    }

    /// The token itself, never a flag value: a token file (flag, environment or config file)
    /// or this variable.
    static let tokenEnvironmentName = "FLXPOINT_SOURCE_TOKEN"

    /// Where a value came from: flag, environment, file (with its line) or default.
    enum Origin: Sendable, Equatable, CustomStringConvertible {
        case flag(String)
        case environment(String)
        /// `path:line:col` in the config file.
        case file(String)
        case defaultValue

        var description: String {
            switch self {
            case .flag(let name): name
            case .environment(let name): name
            case .file(let position): position
            case .defaultValue: "default"
            }
        }
    }

    /// A value as given, with its origin.
    struct Given: Sendable, Equatable {
        var value: String
        var origin: Origin
    }

    static let defaults: [Key: String] = [
        .apiURL: "https://api.flxpoint.com", .maxRPS: "2", .db: "source-agent.sqlite", .rules: "rules.yaml",
        .interval: "60s", .stockMaxAge: "24h", .metricsHost: "127.0.0.1", .logFormat: "text",
        .trackingSettle: "5s", .inventoryCost: "false", .readBackAfter: "2d", .consoleHost: "127.0.0.1",
        .leaseTTL: "15s", .leaseRenew: "5s",
    ]

    var apiURL: String
    var maxRPS: Double
    /// The SQLite file, or the PostgreSQL URL `database` gives.
    var db: String
    /// The PostgreSQL password's file; else `PGPASSWORD`.
    var databasePasswordFile: String?
    var leaseTTL: Duration = .seconds(15)
    var leaseRenew: Duration = .seconds(5)
    var rules: String
    var interval: Duration
    var stockMaxAge: Duration
    var metricsPort: Int?
    var alertWebhook: String?
    var metricsHost: String
    var logFormat: LogFormat
    /// A folder of tracking CSVs imported after each cycle; nil: no inbox.
    var trackingInbox: String?
    /// An inbox file is imported once unchanged for this long.
    var trackingSettle: Duration
    /// How often promisable stock is pushed to Flxpoint; nil: never.
    var inventoryInterval: Duration?
    var inventoryCost: Bool
    var inventoryInboundWithin: Duration?
    /// Acknowledged FRs still holding stock are read back once their answer is this old.
    var readBackAfter: Duration
    /// The web console's port; nil: no console.
    var consolePort: Int?
    var consoleHost: String
    var consolePasswordFile: String?
    var consoleUsersFile: String?
    /// Nil when the token comes from `FLXPOINT_SOURCE_TOKEN`.
    var tokenFile: String?
    private var environmentToken: String?
    /// Where each value came from, for the start-up log.
    var origins: [Key: Origin]
    /// Every Flxpoint account to answer for: the config file's `sources:`, else `default`
    /// made of the settings above.
    var sources: [SourceSettings] = []

    /// A bad value, with where it came from.
    struct Problem: Error, CustomStringConvertible {
        var origin: Origin
        var message: String

        var description: String {
            switch origin {
            case .file(let position): "\(position): error: \(message)"
            default: "error: \(message) (from \(origin))"
            }
        }
    }

    /// The value of one setting: flag, then environment, then config file, then default.
    static func pick(
        _ key: Key, flags: [Key: String], environment: [String: String], file: ConfigFile? = nil
    ) -> Given? {
        if let value = flags[key] { return Given(value: value, origin: .flag(key.flag)) }
        if let value = environment[key.environmentName], !value.isEmpty {
            return Given(value: value, origin: .environment(key.environmentName))
        }
        if let entry = file?.values[key] { return entry }
        return defaults[key].map { Given(value: $0, origin: .defaultValue) }
    }

    /// Every setting, picked and typed.
    static func resolve(
        flags: [Key: String], environment: [String: String], file: ConfigFile?
    ) throws(Problem) -> Settings {
        var given: [Key: Given] = [:]
        for key in Key.allCases { given[key] = pick(key, flags: flags, environment: environment, file: file) }
        let token = environment[tokenEnvironmentName].flatMap { $0.isEmpty ? nil : $0 }
        // The token in the environment beats a token file from the environment or the config
        // file, but not `--token-file` given on this command line.
        if token != nil, given[.tokenFile]?.origin != .flag(Key.tokenFile.flag) { given[.tokenFile] = nil }
        for key in Key.allCases {
            guard let value = given[key], let message = problem(key, value.value) else { continue }
            throw Problem(origin: value.origin, message: message)
        }
        // Every value was checked above, so the conversions below cannot fail.
        func duration(_ key: Key) -> Duration? { given[key].flatMap { DurationArgument(argument: $0.value)?.duration } }
        func text(_ key: Key) -> String { given[key]!.value }
        var settings = Settings(
            apiURL: text(.apiURL), maxRPS: Double(text(.maxRPS))!, db: given[.database]?.value ?? text(.db),
            databasePasswordFile: given[.databasePasswordFile]?.value, rules: text(.rules),
            interval: duration(.interval)!, stockMaxAge: duration(.stockMaxAge)!,
            metricsPort: given[.metricsPort].flatMap { Int($0.value) }, alertWebhook: given[.alertWebhook]?.value,
            metricsHost: text(.metricsHost), logFormat: LogFormat(rawValue: text(.logFormat))!,
            trackingInbox: given[.trackingInbox]?.value, trackingSettle: duration(.trackingSettle)!,
            inventoryInterval: duration(.inventoryInterval), inventoryCost: Self.bool(text(.inventoryCost))!,
            inventoryInboundWithin: duration(.inventoryInboundWithin),
            readBackAfter: duration(.readBackAfter)!, consolePort: given[.consolePort].flatMap { Int($0.value) },
            consoleHost: text(.consoleHost), consolePasswordFile: given[.consolePasswordFile]?.value,
            consoleUsersFile: given[.consoleUsersFile]?.value,
            tokenFile: given[.tokenFile]?.value, environmentToken: token, origins: given.mapValues(\.origin))
        if let database = given[.database] { settings.origins[.db] = database.origin }
        settings.leaseTTL = duration(.leaseTTL)!
        settings.leaseRenew = duration(.leaseRenew)!
        // Two renewals fit in the time a lease is trusted (its TTL less a fifth), so one slow or
        // lost renewal does not cost it.
        if settings.leaseRenew * 5 > settings.leaseTTL * 2 {
            throw Problem(
                origin: given[.leaseRenew]!.origin,
                message: "lease_renew (\(settings.leaseRenew)) must be at most 2/5 of lease_ttl (\(settings.leaseTTL))"
            )
        }
        if let users = given[.consoleUsersFile], settings.consolePasswordFile != nil {
            throw Problem(
                origin: users.origin,
                message: "console_users_file and console_password_file are two ways to sign in: give one of them")
        }
        if settings.consolePort != nil, settings.consolePasswordFile == nil, settings.consoleUsersFile == nil,
            !ConsoleAccess.isLoopback(settings.consoleHost)
        {
            throw Problem(
                origin: given[.consoleHost]!.origin,
                message: "the console on \(Quote.short(settings.consoleHost)) is reachable from other machines: give "
                    + "it console_users_file or console_password_file (and put it behind a TLS reverse proxy), or keep "
                    + "it on 127.0.0.1")
        }
        if let entries = file?.sources {
            // A token given once for the whole file would be sent to every account.
            if let tokenFile = given[.tokenFile], case .file = tokenFile.origin {
                throw Problem(
                    origin: tokenFile.origin,
                    message: "with 'sources:', give each source its own token_file or token_env")
            }
            var sources: [SourceSettings] = []
            for entry in entries { sources.append(try settings.source(entry)) }
            settings.sources = sources
            var seen = Set<String>()
            for (entry, source) in zip(entries, settings.sources) where !seen.insert(source.name).inserted {
                throw Problem(origin: .file(entry.position), message: "two sources are named '\(source.name)'")
            }
            guard !settings.sources.isEmpty else {
                throw Problem(origin: .defaultValue, message: "'sources' in the config file is empty")
            }
        } else {
            settings.sources = [
                SourceSettings(
                    name: AgentDatabase.defaultSource, apiURL: settings.apiURL, maxRPS: settings.maxRPS,
                    rules: settings.rules, interval: settings.interval, pool: AgentDatabase.defaultPool,
                    tokenFile: settings.tokenFile, environmentToken: token)
            ]
        }
        return settings
    }

}

extension Settings {
    /// The store `run` recorded into, which must exist already.
    func existingStore() async throws -> OpenedStore {
        try await InputFiles.existingStore(db, passwordFile: databasePasswordFile)
    }

    /// Where the store lives, read from `db` once.
    var location: StoreLocation { StoreLocation(db) }
}
