import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore

/// `source-agent config show`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show the configuration the agent would run with.",
        subcommands: [ConfigShowCommand.self])
}

/// `source-agent config show [--config FILE]`: every setting as `run` resolves it (flag, then
/// environment, then the file, then the default), each with where it came from. The output
/// is YAML. The token is never printed, only where it is read from.
struct ConfigShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the effective configuration, each value with its origin (the token is never shown).",
        discussion: """
            Exit 2 when a value is bad, naming its line in the config file or the flag or variable, or when a check \
            'run' makes before it starts fails: the database's path, the password file, the tracking inbox, each \
            source's token, the console's login file, each rule file.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings(database, rules: rules.given, opensDatabase: false)
        Terminal.out(ConfigListing(settings: settings).text)
        // The dry run of the configuration: every check `run` makes before it starts.
        try settings.checkBeforeStart()
    }
}

/// The effective configuration as YAML with a `# origin` comment on each line.
struct ConfigListing {
    var settings: Settings

    var text: String {
        var lines = ["version: 1"]
        for key in Settings.Key.allCases {
            let origin = settings.origins[key]
            guard let value = shown(key) else {
                lines.append("# \(key.rawValue): (not set)")
                continue
            }
            lines.append(line(key.rawValue, value, origin.map { "\($0)" } ?? "default"))
        }
        if settings.tokenFile == nil {
            let from = settings.sources.count == 1 ? settings.sources[0].environmentToken : nil
            lines.append(
                "# token: \(from == nil ? "(not set)" : "read from \(Settings.tokenEnvironmentName), not shown")")
        }
        if let note = settings.alertWebhook.flatMap(WebhookURL.note) { lines.append("# note: \(note)") }
        lines.append("sources:")
        for source in settings.sources { lines += sourceLines(source) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as it may be printed: the webhook's path (often a secret) is left out.
    private func shown(_ key: Settings.Key) -> String? {
        switch key {
        case .apiURL: RedactedURL.redact(settings.apiURL)
        case .tokenFile: settings.tokenFile
        case .maxRPS: Self.number(settings.maxRPS)
        case .db: settings.location.filePath
        // A URL never holds the password (one that did was refused).
        case .database: settings.location.isShared ? RedactedURL.redact(settings.db) : nil
        case .databasePasswordFile: settings.databasePasswordFile
        case .leaseTTL: Self.duration(settings.leaseTTL)
        case .leaseRenew: Self.duration(settings.leaseRenew)
        case .rules: settings.rules
        case .interval: Self.duration(settings.interval)
        case .metricsPort: settings.metricsPort.map(String.init)
        case .stockMaxAge: Self.duration(settings.stockMaxAge)
        case .alertWebhook: settings.alertWebhook.map(RedactedURL.redactWebhook)
        case .metricsHost: settings.metricsHost
        case .logFormat: settings.logFormat.rawValue
        case .trackingInbox: settings.trackingInbox
        case .trackingSettle: Self.duration(settings.trackingSettle)
        case .inventoryInterval: settings.inventoryInterval.map(Self.duration)
        case .inventoryCost: settings.inventoryCost ? "true" : "false"
        case .inventoryInboundWithin: settings.inventoryInboundWithin.map(Self.duration)
        case .readBackAfter: Self.duration(settings.readBackAfter)
        case .consolePort: settings.consolePort.map(String.init)
        case .consoleHost: settings.consoleHost
        case .consolePasswordFile: settings.consolePasswordFile
        case .consoleUsersFile: settings.consoleUsersFile
        }
    }

    private func sourceLines(_ source: SourceSettings) -> [String] {
        var values: [(String, String?)] = [
            ("token_file", source.tokenFile), ("token_env", source.tokenEnvironment),
            ("api_url", RedactedURL.redact(source.apiURL)), ("max_rps", Self.number(source.maxRPS)),
            ("rules", source.rules), ("interval", Self.duration(source.interval)), ("stock_pool", source.pool),
            ("max_share", source.maxShare.map(Self.number)),
        ]
        values = values.filter { $0.1 != nil }
        var lines = ["  - name: \(Self.scalar(source.name))"]
        lines += values.map { "    \($0.0): \(Self.scalar($0.1!))" }
        return lines
    }

    private func line(_ key: String, _ value: String, _ origin: String) -> String {
        let text = "\(key): \(Self.scalar(value))"
        let pad = String(repeating: " ", count: max(1, 44 - text.count))
        return "\(text)\(pad)# \(TerminalText.escaped(origin))"
    }

    /// Plain when YAML reads it back as the same string, else double-quoted.
    static func scalar(_ value: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._/-:@+"))
        let safe =
            !value.isEmpty && value.unicodeScalars.allSatisfy(plain.contains) && !value.contains(": ")
            && !["-", ":", "@"].contains(value.first!) && !value.hasSuffix(":")
        guard !safe else { return value }
        let escaped = value.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: String(format: "\\x%02X", scalar.value)
            default: String(scalar)
            }
        }
        return "\"" + escaped.joined() + "\""
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func duration(_ value: Duration) -> String { DurationArgument(duration: value).text }
}
