import AgentStorePostgres
import FlxpointAPI
import Foundation
import FulfillmentCore

/// What makes a setting's value unusable, checked whatever its origin.
extension Settings {
    /// Why a value is unusable, or nil: a bad value is an error, never a silent default.
    static func problem(_ key: Key, _ value: String) -> String? {
        switch key {
        case .maxRPS, .interval, .stockMaxAge, .inventoryInterval, .inventoryInboundWithin, .leaseTTL, .leaseRenew,
            .trackingSettle,
            .readBackAfter, .metricsPort, .consolePort:
            return SettingBound.bySetting[key]?.problem(key.rawValue, value)
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
