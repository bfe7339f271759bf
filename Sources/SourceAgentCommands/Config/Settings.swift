import FlxpointAPI
import Foundation

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
        return Settings(
            apiURL: given[.apiURL]!.value, maxRPS: Double(given[.maxRPS]!.value)!, db: given[.db]!.value,
            rules: given[.rules]!.value, interval: duration(.interval), stockMaxAge: duration(.stockMaxAge),
            metricsPort: given[.metricsPort].flatMap { Int($0.value) }, alertWebhook: given[.alertWebhook]?.value,
            tokenFile: given[.tokenFile]?.value, environmentToken: token, origins: given.mapValues(\.origin))
    }

    /// Why a value is unusable, or nil: a bad value is an error, never a silent default.
    static func problem(_ key: Key, _ value: String) -> String? {
        switch key {
        case .maxRPS:
            guard let rps = Double(value), rps >= 0, rps.isFinite else {
                return "max_rps must be a number of requests per second, 0 or more, got '\(value)'"
            }
            return nil
        case .interval, .stockMaxAge:
            guard let duration = DurationArgument(argument: value), duration.duration > .zero else {
                return "\(key.rawValue) must be a duration above zero such as 60s, 5m or 24h, got '\(value)'"
            }
            return nil
        case .metricsPort:
            guard let port = Int(value), (1...65_535).contains(port) else {
                return "metrics_port must be a port from 1 to 65535, got '\(value)'"
            }
            return nil
        case .apiURL:
            return FlxpointClientConfiguration.problem(withBaseURL: value).map { "API URL \($0)" }
        case .tokenFile, .db, .rules, .alertWebhook:
            return value.isEmpty ? "\(key.rawValue) is empty" : nil
        }
    }

    /// The client settings; reads the token, so only commands that talk to Flxpoint call it.
    func clientConfiguration() throws -> FlxpointClientConfiguration {
        FlxpointClientConfiguration(baseURL: apiURL, token: try token(), requestsPerSecond: maxRPS)
    }

    func token() throws -> FlxpointToken {
        if let tokenFile { return try TokenFile.read(tokenFile) }
        if let environmentToken { return FlxpointToken(environmentToken) }
        Terminal.err("error: no Flxpoint token: set FLXPOINT_SOURCE_TOKEN or pass --token-file (a Source token)")
        throw Exit.badInput
    }
}
