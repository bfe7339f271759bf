import AgentStorePostgres
import FlxpointAPI
import Foundation
import FulfillmentCore

/// What makes a setting's value unusable, checked whatever its origin.
extension Settings {
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
        case .interval, .stockMaxAge, .inventoryInterval, .leaseTTL, .leaseRenew:
            guard let duration = DurationArgument(argument: value), duration.duration > .zero else {
                return "\(key.rawValue) must be a duration above zero and at most ten years, such as 60s, 5m or 24h, "
                    + "got \(Quote.short(value))"
            }
            return nil
        case .trackingSettle, .readBackAfter:
            guard DurationArgument(argument: value) != nil else {
                return "\(key.rawValue) must be a duration from 0 to ten years, such as 5s, 30m or 2d, "
                    + "got \(Quote.short(value))"
            }
            return nil
        case .metricsPort:
            guard let port = Int(value), (1...65_535).contains(port) else {
                return "metrics_port must be a port from 1 to 65535, got \(Quote.short(value))"
            }
            return nil
        case .consolePort:
            // 0 lets the system pick a free port (the log says which).
            guard let port = Int(value), (0...65_535).contains(port) else {
                return "console_port must be a port from 0 to 65535, got \(Quote.short(value))"
            }
            return nil
        case .metricsHost, .consoleHost:
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-:[]%_"))
            guard !value.isEmpty, value.count <= 253, value.unicodeScalars.allSatisfy(allowed.contains) else {
                return "\(key.rawValue) must be a host name or IP address such as 127.0.0.1, got \(Quote.short(value))"
            }
            return nil
        case .logFormat:
            return LogFormat(rawValue: value) == nil
                ? "log_format must be text or json, got \(Quote.short(value))" : nil
        case .inventoryCost:
            return bool(value) == nil ? "inventory_cost must be true or false, got \(Quote.short(value))" : nil
        case .apiURL:
            return FlxpointClientConfiguration.problem(withBaseURL: value).map { "API URL \($0)" }
        case .alertWebhook:
            return WebhookURL.problem(value)
        case .db:
            return DatabasePath.problem(value)
        case .database:
            guard PostgresURL.isPostgres(value) else {
                return "database must be a postgres:// URL, got \(Quote.short(value)); name a SQLite file with db"
            }
            return DatabasePath.problem(value)
        case .tokenFile, .rules, .trackingInbox, .consolePasswordFile, .consoleUsersFile, .databasePasswordFile:
            if value.isEmpty { return "\(key.rawValue) is empty" }
            return value.contains("\u{0}") ? "\(key.rawValue) holds a NUL character" : nil
        }
    }

    /// `true`/`false` as YAML and people write them.
    static func bool(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}
