import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore

/// Every setting a command reads, resolved by `Settings.resolve`: the one place that says a
/// flag beats the environment, which beats the config file, which beats the default. Every
/// value is typed there whatever its origin, and an error names where the bad value came from.
struct Settings: Sendable {
    enum Key: String, CaseIterable, Sendable {
        case apiURL = "api_url"
        case tokenFile = "token_file"
        case maxRPS = "max_rps"
        case db, rules, interval
        case metricsPort = "metrics_port"
        case stockMaxAge = "stock_max_age"
        case alertWebhook = "alert_webhook"

        var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }

        /// `FLXPOINT_API_URL` as CLI.md names it; `SOURCE_AGENT_<KEY>` for the rest.
        var environmentName: String { self == .apiURL ? "FLXPOINT_API_URL" : "SOURCE_AGENT_" + rawValue.uppercased() }

        /// Keys whose value is a path: in a config file, relative to the file.
        var isPath: Bool { [.tokenFile, .db, .rules].contains(self) }
    }

    /// The token itself, never a flag value: a token file (flag, environment or config file)
    /// or this variable.
    static let tokenEnvironmentName = "FLXPOINT_SOURCE_TOKEN"

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

    struct Given: Sendable, Equatable {
        var value: String
        var origin: Origin
    }

    static let defaults: [Key: String] = [
        .apiURL: "https://api.flxpoint.com", .maxRPS: "2", .db: "source-agent.sqlite", .rules: "rules.yaml",
        .interval: "60s", .stockMaxAge: "24h",
    ]

    var apiURL: String
    var maxRPS: Double
    var db: String
    var rules: String
    var interval: Duration
    var stockMaxAge: Duration
    var metricsPort: Int?
    var alertWebhook: String?
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
        func duration(_ key: Key) -> Duration { DurationArgument(argument: given[key]!.value)!.duration }
        var settings = Settings(
            apiURL: given[.apiURL]!.value, maxRPS: Double(given[.maxRPS]!.value)!, db: given[.db]!.value,
            rules: given[.rules]!.value, interval: duration(.interval), stockMaxAge: duration(.stockMaxAge),
            metricsPort: given[.metricsPort].flatMap { Int($0.value) }, alertWebhook: given[.alertWebhook]?.value,
            tokenFile: given[.tokenFile]?.value, environmentToken: token, origins: given.mapValues(\.origin))
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

    /// A `sources:` entry typed, its unset values taken from the file's (or flags') own.
    private func source(_ entry: SourceEntry) throws(Problem) -> SourceSettings {
        func value(_ key: SourceEntry.Key) -> String? { entry.values[key]?.value }
        func fail(_ key: SourceEntry.Key, _ message: String) -> Problem {
            Problem(origin: entry.values[key]?.origin ?? .file(entry.position), message: message)
        }
        guard let name = value(.name) else { throw fail(.name, "a source needs a 'name'") }
        if let problem = SourceName.problem(name) { throw fail(.name, problem) }
        guard value(.tokenFile) != nil || value(.tokenEnv) != nil else {
            throw fail(.name, "source '\(name)' needs a 'token_file' or a 'token_env' (an environment variable name)")
        }
        if value(.tokenFile) != nil, value(.tokenEnv) != nil {
            throw fail(
                .tokenEnv, "source '\(name)' has both 'token_file' and 'token_env'; keep the one that holds its token")
        }
        var source = SourceSettings(
            name: name, apiURL: apiURL, maxRPS: maxRPS, rules: rules, interval: interval,
            pool: AgentDatabase.defaultPool, tokenFile: value(.tokenFile), tokenEnvironment: value(.tokenEnv))
        if let url = value(.apiURL) {
            if let problem = Self.problem(.apiURL, url) { throw fail(.apiURL, problem) }
            source.apiURL = url
        }
        if let rps = value(.maxRPS) {
            if let problem = Self.problem(.maxRPS, rps) { throw fail(.maxRPS, problem) }
            source.maxRPS = Double(rps)!
        }
        if let rules = value(.rules) {
            if let problem = Self.problem(.rules, rules) { throw fail(.rules, problem) }
            source.rules = rules
        }
        if let interval = value(.interval) {
            if let problem = Self.problem(.interval, interval) { throw fail(.interval, problem) }
            source.interval = DurationArgument(argument: interval)!.duration
        }
        if let pool = value(.stockPool) {
            if let problem = SourceName.problem(pool) { throw fail(.stockPool, "stock_pool: \(problem)") }
            source.pool = pool
        }
        if let share = value(.maxShare) {
            guard let fraction = Double(share), fraction > 0, fraction <= 1 else {
                throw fail(.maxShare, "max_share must be a fraction above 0 and at most 1, such as 0.6, got '\(share)'")
            }
            source.maxShare = fraction
        }
        return source
    }

    /// The source a command works for: `name`, or the only one configured.
    func source(named name: String?) throws -> SourceSettings {
        if let name {
            guard let source = sources.first(where: { $0.name == name }) else {
                Terminal.err(
                    "error: no source '\(name)'; configured: \(sources.map(\.name).joined(separator: ", "))")
                throw Exit.badInput
            }
            return source
        }
        guard sources.count == 1 else {
            Terminal.err(
                "error: \(sources.count) sources are configured (\(sources.map(\.name).joined(separator: ", "))): "
                    + "say which with --source NAME")
            throw Exit.badInput
        }
        return sources[0]
    }

    /// The most requests per second a token may be given: Flxpoint allows 2; the sandbox and
    /// tests go higher, and 0 means no limit.
    static let maxRequestsPerSecond: Double = 1_000

    /// Why a value is unusable, or nil: a bad value is an error, never a silent default.
    static func problem(_ key: Key, _ value: String) -> String? {
        switch key {
        case .maxRPS:
            guard let rps = Double(value), rps.isFinite, (0...maxRequestsPerSecond).contains(rps) else {
                return "max_rps must be a number of requests per second from 0 (no limit) to "
                    + "\(Int(maxRequestsPerSecond)), got \(Quote.short(value))"
            }
            return nil
        case .interval, .stockMaxAge:
            guard let duration = DurationArgument(argument: value), duration.duration > .zero else {
                return "\(key.rawValue) must be a duration above zero and at most ten years, such as 60s, 5m or 24h, "
                    + "got \(Quote.short(value))"
            }
            return nil
        case .metricsPort:
            guard let port = Int(value), (1...65_535).contains(port) else {
                return "metrics_port must be a port from 1 to 65535, got \(Quote.short(value))"
            }
            return nil
        case .apiURL:
            return FlxpointClientConfiguration.problem(withBaseURL: value).map { "API URL \($0)" }
        case .alertWebhook:
            return WebhookURL.problem(value)
        case .db:
            return DatabasePath.problem(value)
        case .tokenFile, .rules:
            if value.isEmpty { return "\(key.rawValue) is empty" }
            return value.contains("\u{0}") ? "\(key.rawValue) holds a NUL character" : nil
        }
    }
}
